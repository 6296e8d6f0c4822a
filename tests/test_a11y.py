"""The HTML in a real browser: axe-core in headless Chromium finds no violations.

Needs Debian's `chromium` and Node.js; the test installs axe-core and puppeteer-core from
npm into tests/a11y on first use. Where Chromium or Node is missing it is skipped, saying so;
CI installs Chromium first, so there it runs. Marked `outside`: `make test-outside` runs it,
not `make test`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from briefing import BuildReport, Project

pytestmark = pytest.mark.outside

HERE = Path(__file__).resolve().parent / "a11y"


def _chromium() -> str:
    found = os.environ.get("BRIEFING_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.skip("Chromium not installed: `apt-get install chromium` to run the axe-core check")
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("Node.js and npm are needed to run axe-core")
    if not (HERE / "node_modules" / "axe-core").is_dir():
        installed = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if installed.returncode != 0:
            pytest.skip(f"could not install axe-core from npm: {installed.stderr.strip()[-300:]}")
    return found


@pytest.mark.timeout(900)  # npm ci and the browser run each have 300 s of their own
def test_axe_core_finds_no_violations_on_phone_or_desktop(
    default_build: tuple[Project, BuildReport],
) -> None:
    chromium = _chromium()
    project, _ = default_build
    pages = sorted(
        (str(p) for p in project.output.rglob("*.html")), key=lambda p: -Path(p).stat().st_size
    )  # the longest first, so that no core is left with one at the end
    assert len(pages) == 5, pages
    done = subprocess.run(
        ["node", str(HERE / "axe.mjs"), chromium, *pages],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    checked = sorted((r["file"], r["width"]) for r in results)
    assert checked == sorted((p, w) for p in pages for w in (390, 1280)), "each page, both widths"
    problems = [
        f"{Path(r['file']).name} at {r['width']}px: {v['id']} ({v['help']}) {v['nodes']}"
        for r in results
        for v in r["violations"]
    ]
    assert problems == []
    assert [r["file"] for r in results if r["overflow"]] == [], "no sideways scroll on the page"
