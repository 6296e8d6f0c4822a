"""`briefing diff OLD NEW` as a library call: check both sides, compare, write the redlines.

Both sides are validated and every quote verified, exactly as a build would, so a redline
never compares content that could not have been sent. Each memo and audience found on
either side gets a redline in each format, written atomically under the output folder's
lock (`output/diff/MEMO/AUDIENCE.EXT` by default), like any build output. Never prints,
never exits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefing.errors import (
    BriefingError,
    BuildFolderError,
    ContentError,
    Problem,
    SelectionError,
)
from briefing.formats import REDLINE
from briefing.phrases import load as load_phrasebook
from briefing.redline import Redline, compare_views
from briefing.revisions import Side
from briefing.write import locked, sweep_temporaries, write_atomic

DIFF_FOLDER = "diff"
"""Where redlines go under the output folder, by default: output/diff/MEMO/AUDIENCE.EXT.
No memo's own outputs can be there: those are output/MEMO/AUDIENCE.EXT, one level up."""


class SideContentError(BriefingError):
    """One side of a comparison does not check: its problems, and which side it is."""

    exit_code = 2
    code = "B418"

    def __init__(self, side: Side, error: ContentError) -> None:
        self.problems = [replace(p, file=side.named(p.file)) for p in error.problems]
        self.warnings = [replace(p, file=side.named(p.file)) for p in error.warnings]
        super().__init__(
            f"the content of {side.label} has {len(error.problems)} problem(s) (listed above); "
            "a redline compares only content that checks"
        )


@dataclass
class DiffReport:
    """The redlines made, the files written, and the outputs that failed (with why)."""

    redlines: list[Redline] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    failures: list[tuple[Path, str]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(redline.changed for redline in self.redlines)


def diff(
    old: Side,
    new: Side,
    out: Path,
    memos: Iterable[str] = (),
    audiences: Iterable[str] = (),
    formats: Iterable[str] = REDLINE.names,
    templates: Path | None = None,
) -> DiffReport:
    """Compare every selected memo and audience of two sides and write their redlines.

    Each side is checked as its own project (its settings, profiles and templates folder);
    the redlines are laid out with the new side's templates, or with `templates` in place
    of its folder, and say what they say in that folder's phrasebook.
    """
    refuse_build_folder(out)
    from briefing.pipeline import check  # noqa: PLC0415
    from briefing.resolve import resolve_view  # noqa: PLC0415

    layout = replace(new.project, templates=templates.resolve()) if templates else new.project
    phrases = load_phrasebook(layout.template_dirs)

    contents = []
    report = DiffReport()
    for side in (old, new):
        try:
            checked = check(side.project)
        except ContentError as error:
            raise SideContentError(side, error) from None
        contents.append(checked.content)
        report.warnings += checked.content.warnings
    before, after = contents
    memo_ids = _chosen(list(memos), {*before.memos, *after.memos}, "memo")
    audience_ids = _chosen(list(audiences), {*before.audiences, *after.audiences}, "audience")
    chosen_formats = _chosen(list(formats), set(REDLINE.names), "format")
    with locked(out):
        sweep_temporaries(out)
        for memo in memo_ids:
            for audience in audience_ids:
                views = [
                    resolve_view(content, memo, audience)
                    if memo in content.memos and audience in content.audiences
                    else None
                    for content in (before, after)
                ]
                if views[0] is None and views[1] is None:
                    continue
                redline = compare_views(views[0], views[1], old.label, new.label, phrases)
                report.redlines.append(redline)
                for fmt in chosen_formats:
                    path = out / memo / f"{audience}.{fmt}"
                    try:
                        data = REDLINE.render(fmt, redline, layout).data
                    except BriefingError as error:
                        report.failures.append((path, str(error)))
                        continue
                    write_atomic(path, data)
                    report.written.append(path)
    return report


def refuse_build_folder(out: Path) -> None:
    """Redlines never go where a build keeps its memos: they would replace the memos under
    the same names (MEMO/AUDIENCE.EXT), and a reader would take a redline for the memo."""
    from briefing.cache import MANIFEST  # noqa: PLC0415
    from briefing.fresh import STAMP  # noqa: PLC0415

    for mark in (MANIFEST, STAMP):
        if (out / mark).is_file():
            raise BuildFolderError(
                f"'{out}' is where a build writes its memos (it holds {mark}); redlines written "
                f"there would replace them. Leave out --out (redlines go to {DIFF_FOLDER}/ "
                "under the output folder) or name an empty folder"
            )


def _chosen(wanted: list[str], known: set[str], what: str) -> list[str]:
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise SelectionError(
            f"unknown {what} '{unknown[0]}' on either side; choose from: {', '.join(sorted(known))}"
        )
    return list(dict.fromkeys(wanted)) or sorted(known)
