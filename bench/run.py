"""Benchmarks for briefing. Prints figures, and ratios measured within this one run.

    .venv/bin/python bench/run.py              # everything (a few minutes on 2 cores)
    .venv/bin/python bench/run.py --sizes 10,100

Measures: the overhead of a full build over raw WeasyPrint on the same HTML in the same
pool; the speed-up of 2 jobs over 1; a no-op rebuild and a cold `check`; headless
Chromium's --print-to-pdf on the same HTML files, one process per file; and synthetic
content of 10, 100 and 1,000 positions (time per output, peak memory per worker).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing import Project, build, check  # noqa: E402
from briefing.plan import plan  # noqa: E402
from briefing.pool import _start_method, available_cores  # noqa: E402
from briefing.project import BUILTIN_TEMPLATES  # noqa: E402
from briefing.render import render_html  # noqa: E402
from briefing.resolve import resolve_view  # noqa: E402

ASSETS = BUILTIN_TEMPLATES / "assets"


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The fastest of several runs: the least disturbed by whatever else the machine does."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def default_project(folder: Path, copies: int) -> Project:
    """The shipped content with its memo copied `copies` times, in a scratch folder."""
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    memo = folder / "content" / "memos" / "taliban-policy.yaml"
    for number in range(2, copies + 1):
        shutil.copy(memo, memo.with_name(f"taliban-policy-{number:02d}.yaml"))
    return Project.at(folder / "content", output=folder / "output")


def _raw_pdf(job: tuple[str, str]) -> None:
    from weasyprint import HTML  # noqa: PLC0415

    source, target = job
    document = HTML(filename=source, base_url=ASSETS.as_uri() + "/")
    document.write_pdf(target, pdf_variant="pdf/ua-1", pdf_tags=True)  # as briefing writes them


def raw_weasyprint(project: Project, jobs: int) -> float:
    """WeasyPrint alone on the HTML a build would lay out, in a pool like briefing's."""
    content = check(project).content
    folder = project.output.parent / "raw"
    folder.mkdir(exist_ok=True)
    work = []
    for output in plan(content, formats=["pdf"]):
        view = resolve_view(content, output.memo, output.audience)
        source = folder / f"{output.memo}-{output.audience}.html"
        source.write_text(render_html(view, project.template_dirs, "pdf").html)
        work.append((str(source), str(source.with_suffix(".pdf"))))
    started = time.perf_counter()
    context = multiprocessing.get_context(_start_method())  # the pool briefing would use
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        list(pool.map(_raw_pdf, work))
    return time.perf_counter() - started


def timed_build(project: Project, **options: object) -> float:
    started = time.perf_counter()
    report = build(project, force=True, **options)  # type: ignore[arg-type]
    assert not report.failures, report.failures
    return time.perf_counter() - started


def cli_seconds(*args: str, runs: int = 3) -> float:
    command = [sys.executable, str(ROOT / "build.py"), *args]
    return best_of(runs, lambda: subprocess.run(command, capture_output=True, check=True))


def chromium_print(files: list[Path], folder: Path, jobs: int) -> float | None:
    """Headless Chromium printing each file to PDF, one process per file, `jobs` at a time."""
    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-pdf-header-footer",
    ]  # fmt: skip
    started = time.perf_counter()
    running: list[subprocess.Popen[bytes]] = []
    for number, file in enumerate(files):
        profile = folder / f"profile-{number}"
        target = folder / f"chromium-{number}.pdf"
        command = [chromium, *flags, f"--user-data-dir={profile}", f"--print-to-pdf={target}"]
        running.append(
            subprocess.Popen(
                [*command, file.as_uri()], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
        while len(running) >= jobs:
            running.pop(0).wait()
    for process in running:
        process.wait()
    return time.perf_counter() - started


# Synthetic content -------------------------------------------------------------------


def seed_sentences() -> dict[str, list[str]]:
    """Verbatim sentences from each seed, free of link syntax, to quote in synthetic content."""
    sources = {
        "weinbaum": "000_23b0369665136125.txt",
        "usip": "001_9deb7b4cc9e4b973.txt",
        "safian": "002_396cb3995b69da7b.txt",
        "malejacq": "003_2faa0a0dfe5ef5e6.txt",
        "sakhi": "004_d37a464bc6bf0d7d.txt",
    }
    found = {}
    for source, seed in sources.items():
        text = (ROOT / "seeds" / seed).read_text(encoding="utf-8")
        sentences = [
            s.strip()
            for line in text.splitlines()
            for s in re.split(r"(?<=\.) ", line)
            if 8 <= len(s.split()) <= 40 and not re.search(r"[\[\]\"\\\u00b2\u00b3\u00b9]", s)
        ]
        found[source] = sentences
    return found


def synthetic_project(folder: Path, positions: int) -> Project:
    """`positions` positions and one memo per five of them, one audience, real quotes."""
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    content = folder / "content"
    for part in ("positions", "memos", "audiences"):
        (content / part).mkdir(parents=True)
    shutil.copy(ROOT / "content" / "sources.yaml", content / "sources.yaml")
    shutil.copy(ROOT / "content" / "audiences" / "congressional.yaml", content / "audiences")
    sentences = seed_sentences()
    pool = [(s, q) for s, qs in sentences.items() for q in qs]

    def points(start: int, count: int) -> str:
        lines = []
        for offset in range(count):
            source, quote = pool[(start + offset) % len(pool)]
            quoted = quote.replace("'", "''")
            lines.append(
                f"  - text: Point {start + offset} in the analyst's own words.\n"
                f"    evidence:\n      - source: {source}\n        quote: '{quoted}'\n"
            )
        return "".join(lines)

    for number in range(positions):
        body = (
            f"title: Option {number}\nsummary: A one-line summary of option {number}.\n"
            f"thesis: The thesis of option {number}, in two sentences. It is synthetic.\n"
            f"pros:\n{points(number * 7, 3)}cons:\n{points(number * 7 + 3, 3)}"
            f"conditions:\n{points(number * 7 + 6, 2)}risks:\n{points(number * 7 + 1, 2)}"
        )
        (content / "positions" / f"p{number:04d}.yaml").write_text(body, encoding="utf-8")
    criteria = "".join(f"  - id: c{c}\n    label: Criterion {c}\n" for c in range(5))
    for memo in range(max(1, positions // 5)):
        options = "".join(
            f"  - position: p{(memo * 5 + o) % positions:04d}\n    assessment:\n"
            + "".join(f"      c{c}: {{rating: mixed, rationale: Synthetic.}}\n" for c in range(5))
            for o in range(min(5, positions))
        )
        source, quote = pool[memo % len(pool)]
        (content / "memos" / f"m{memo:04d}.yaml").write_text(
            f"title: Memo {memo}\nshort_subject: Memo {memo}\nsubject: Synthetic memo {memo}\n"
            "date: 2026-11-23\nfrom: Bench Office\nquestion: What to do?\nbluf: Decide.\n"
            "overview: A neutral summary.\n"
            f"background:\n  - text: Background.\n    evidence:\n      - source: {source}\n"
            f"        quote: '{quote.replace(chr(39), chr(39) * 2)}'\n"
            f"criteria:\n{criteria}options:\n{options}",
            encoding="utf-8",
        )
    profile = content / "audiences" / "congressional.yaml"
    profile.write_text(profile.read_text().replace("page_budget: 2", "page_budget: 20"))
    return Project.at(content, output=folder / "output")


def scale_one(positions: int, jobs: int) -> dict[str, float]:
    """Build synthetic content once; run in its own process so peak memory is its own."""
    with tempfile.TemporaryDirectory() as scratch:
        project = synthetic_project(Path(scratch), positions)
        started = time.perf_counter()
        report = build(project, jobs=jobs)
        seconds = time.perf_counter() - started
        assert not report.failures, report.failures[:3]
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {
            "positions": positions,
            "outputs": len(report.written),
            "seconds": seconds,
            "per_output": seconds / len(report.written),
            "worker_peak_mb": workers,
            "main_peak_mb": main,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000", help="synthetic position counts")
    parser.add_argument("--copies", type=int, default=3, help="copies of the default memo")
    parser.add_argument("--scale-one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    jobs = min(2, available_cores())
    if args.scale_one:
        print(json.dumps(scale_one(args.scale_one, jobs)))
        return

    print(f"machine: {available_cores()} cores available; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        project = default_project(folder, args.copies)
        pdfs = len(plan(check(project).content, formats=["pdf"]))
        print(f"\ncontent: the default memo x{args.copies}, 4 audiences: {pdfs} PDFs per build")

        timed_build(project, formats=["pdf"], jobs=jobs)  # warm the file cache
        full = timed_build(project, formats=["pdf"], jobs=jobs)
        raw = raw_weasyprint(project, jobs)
        print(f"overhead   full build {full:6.2f} s  raw WeasyPrint {raw:6.2f} s  "
              f"ratio {full / raw:.2f}x  (goal <= 1.10x)")  # fmt: skip

        serial = timed_build(project, formats=["pdf"], jobs=1)
        print(f"parallel   1 job {serial:6.2f} s  {jobs} jobs {full:6.2f} s  "
              f"speed-up {serial / full:.2f}x  (goal >= 1.8x on 2 cores)")  # fmt: skip

        build(project)
        noop = best_of(5, lambda: build(project))
        cli_noop = cli_seconds("build", "--content", str(project.content),
                               "--out", str(project.output))  # fmt: skip
        cold = cli_seconds("check", "--content", str(project.content))
        print(f"no-op      rebuild in process {noop:.3f} s; "
              f"`python build.py build` {cli_noop:.3f} s  (goal < 0.3 s)")  # fmt: skip
        print(f"check      `python build.py check`, cold process {cold:.3f} s  (goal < 0.6 s)")

        html = sorted(project.output.rglob("*.html"))
        html = [f for f in html if f.name != "index.html"]
        chromium = chromium_print(html, folder, jobs)
        ours = len(html) / full
        if chromium is None:
            print("chromium   skipped: no `chromium` on this machine (apt-get install chromium)")
        else:
            theirs = len(html) / chromium
            print(f"chromium   --print-to-pdf {len(html)} files, {jobs} at a time: "
                  f"{chromium:6.2f} s = {theirs:.2f} memos/s; briefing {ours:.2f} memos/s: "
                  f"{ours / theirs:.2f}x  (goal >= 2x)")  # fmt: skip

    print("\nscale      positions  outputs  seconds  per output  peak MB (worker / main)")
    for size in [int(s) for s in args.sizes.split(",") if s]:
        done = subprocess.run(
            [sys.executable, __file__, "--scale-one", str(size)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"           {row['positions']:9d}  {row['outputs']:7d}  {row['seconds']:7.1f}  "
              f"{row['per_output']:8.3f} s  "
              f"{row['worker_peak_mb']:6.0f} / {row['main_peak_mb']:.0f}")  # fmt: skip


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
