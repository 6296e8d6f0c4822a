"""How long one output may render: one value for the library, its workers and the CLI."""

TIME_LIMIT = 120.0
"""Seconds one output may take before it is stopped: a hostile or broken template or
stylesheet must not hold a build for ever."""

MAX_TIME_LIMIT = 3600.0
"""The longest --time-limit accepted: an hour, far beyond any memo's render."""
