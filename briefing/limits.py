"""How long and how much memory one output may take to render: one value for the library,
its workers and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

TIME_LIMIT = 120.0
"""Seconds one output may take before it is stopped: a hostile or broken template or
stylesheet must not hold a build for ever."""

MAX_TIME_LIMIT = 3600.0
"""The longest --time-limit accepted: an hour, far beyond any memo's render."""

MEMORY_LIMIT = 1024
"""Megabytes of address space one output may add to the process rendering it. The largest
shipped memo, its first render importing WeasyPrint included, adds about 350 MB; a
template asking for gigabytes (`("a" * 10**9)|length`) must not take the machine's memory
from everything else running on it."""

MIN_MEMORY_LIMIT = 256
MAX_MEMORY_LIMIT = 65536
"""The range --memory-limit accepts, in megabytes."""


@dataclass(frozen=True)
class Limits:
    """What one output may take to render; 0 means no limit (tests of the limits)."""

    seconds: float = TIME_LIMIT
    megabytes: int = MEMORY_LIMIT


DEFAULT_LIMITS = Limits()
