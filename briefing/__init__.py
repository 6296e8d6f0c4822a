"""briefing: options memos for decision-makers, from checked YAML positions to HTML and PDF.

The public API is what this module re-exports; the CLI in `briefing.cli` is a thin layer
over it.
"""

from briefing.errors import (
    BriefingError,
    ContentError,
    PageBudgetError,
    Problem,
    SelectionError,
    TemplateError,
)
from briefing.pipeline import BuildReport, Checked, build, check
from briefing.plan import Output, plan
from briefing.project import Project

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
