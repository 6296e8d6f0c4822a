"""Listing the content folders, where a folder that cannot be read is said once.

`Path.glob` answers an unreadable folder, or a file where the folder should be, with
nothing at all, which validation would then report as "no positions found" followed by an
"unknown position" for every option of every memo: many messages, none saying what is wrong.
"""

from __future__ import annotations

import os
from pathlib import Path

from briefing.errors import ContentError, Problem


def yaml_files(folder: Path) -> list[Path]:
    """The `*.yaml` entries of `folder`, sorted; none if the folder does not exist.

    Raises ContentError with one problem, saying what happened to the folder, if it exists
    but cannot be listed: nothing read from the rest of the content would be meaningful.
    """
    try:
        with os.scandir(folder) as entries:
            names = [entry.name for entry in entries if entry.name.endswith(".yaml")]
    except FileNotFoundError:
        return []
    except OSError as error:
        raise ContentError(
            [
                Problem(
                    folder,
                    None,
                    None,
                    f"cannot read the folder: {error.strerror or error}",
                    "make it a folder you can read, holding one NAME.yaml file per item",
                    "B507",
                )
            ]
        ) from None
    return sorted(folder / name for name in names)
