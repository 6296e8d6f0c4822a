"""briefing: options memos for decision-makers, from checked YAML positions to HTML and PDF.

The public API is what this module exports; the CLI in `briefing.cli` is a thin layer over
it. Names are imported on first use, so a command that needs little starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefing.errors import (
        BriefingError,
        ContentError,
        PageBudgetError,
        Problem,
        SelectionError,
        TemplateError,
    )
    from briefing.pipeline import BuildReport, Checked, build, check
    from briefing.planning import Output, plan
    from briefing.project import Project

_HOMES = {
    "BriefingError": "briefing.errors",
    "ContentError": "briefing.errors",
    "PageBudgetError": "briefing.errors",
    "Problem": "briefing.errors",
    "SelectionError": "briefing.errors",
    "TemplateError": "briefing.errors",
    "BuildReport": "briefing.pipeline",
    "Checked": "briefing.pipeline",
    "build": "briefing.pipeline",
    "check": "briefing.pipeline",
    "Output": "briefing.planning",
    "plan": "briefing.planning",
    "Project": "briefing.project",
}

__all__ = [
    "BriefingError",
    "BuildReport",
    "Checked",
    "ContentError",
    "Output",
    "PageBudgetError",
    "Problem",
    "Project",
    "SelectionError",
    "TemplateError",
    "build",
    "check",
    "plan",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'briefing' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
