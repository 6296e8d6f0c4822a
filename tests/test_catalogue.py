"""Every error code the code can raise is in the catalogue users search, and no other."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INTERNAL = {"B000", "B200"}  # the base class and the wrapper of a list of problems


def test_error_catalogue_matches_the_code() -> None:
    used = {
        code
        for path in (ROOT / "briefing").glob("*.py")
        for code in re.findall(r"\b[BW]\d{3}\b", path.read_text(encoding="utf-8"))
    } - INTERNAL
    catalogue = (ROOT / "ERRORS.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| ([BW]\d{3}) \|", catalogue, re.MULTILINE))
    assert used, "no codes found in the code"
    assert used - documented == set(), "codes missing from ERRORS.md"
    assert documented - used == set(), "ERRORS.md lists codes the code never gives"
