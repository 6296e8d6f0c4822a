"""`briefing review` as a library call: check the content, lay out each memo's review edition
in the formats asked for, and write them under the output folder's lock. Never prints,
never exits.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from briefing.context import read_context
from briefing.formats import REVIEW
from briefing.phrases import load as load_phrasebook
from briefing.planning import select
from briefing.project import Project
from briefing.review import REVIEW_FOLDER, review_memo


def review_path(project: Project, memo_id: str, fmt: str) -> Path:
    """Where a memo's review edition is written: output/review/MEMO.FORMAT."""
    return project.output / REVIEW_FOLDER / f"{memo_id}.{fmt}"


def write_reviews(
    project: Project, memos: Iterable[str] = (), formats: Iterable[str] = REVIEW.names
) -> list[Path]:
    """Check the content, then render and write each memo's review edition.

    Everything is rendered before anything is written; the files are then written
    atomically under the output folder's build lock, so a review and a build never write
    into the folder at once and an interrupted review leaves the previous files whole.
    """
    from briefing.pipeline import check  # noqa: PLC0415
    from briefing.write import locked, sweep_temporaries, write_atomic  # noqa: PLC0415

    checked = check(project)
    content, seeds = checked.content, checked.verification.seeds
    context = read_context(content, seeds, checked.verification.found)
    phrases = load_phrasebook(project.template_dirs)
    made = {}
    for memo_id in select(list(memos), content.memos, "memo"):
        review = review_memo(content, context, seeds, memo_id, project.root, phrases)
        for fmt in formats:
            made[review_path(project, memo_id, fmt)] = REVIEW.render(fmt, review, project).data
    with locked(project.output):
        sweep_temporaries(project.output)
        for path, data in made.items():
            write_atomic(path, data)
    return list(made)
