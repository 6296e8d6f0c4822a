"""Benchmarks for briefing. Prints figures, and ratios measured within this one run.

    .venv/bin/python bench/run.py              # everything (a few minutes on 2 cores)
    .venv/bin/python bench/run.py --sizes 10,100

Measures: the overhead of a full build over raw WeasyPrint on the same HTML in the same
pool; the speed-up of 2 jobs over 1; a no-op rebuild and a cold `check`; the default build
of the four PDFs against headless Chromium's --print-to-pdf of the same memos' HTML, one
process per file, two at a time (wall and CPU ratios, CPU seconds per page, the median of
--repeat runs); where a PDF's time goes (WeasyPrint's parse, styles, layout, drawing and
writing, and briefing's own code), per page; `briefing watch`'s latency through its real
file watcher (save to reloaded HTML, save to rewritten principal PDF); and synthetic content
of 10, 100 and 1,000 positions (time per output, peak memory per worker).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing import Project, build, check  # noqa: E402
from briefing.planning import plan  # noqa: E402
from briefing.pool import _start_method, available_cores  # noqa: E402
from briefing.project import BUILTIN_TEMPLATES  # noqa: E402
from briefing.render import render_html  # noqa: E402
from briefing.resolve import resolve_view  # noqa: E402

ASSETS = BUILTIN_TEMPLATES / "assets"
PARTS = ("build", "chromium", "profile", "watch", "scale")


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


def children_cpu() -> float:
    """CPU seconds (user and system) of the finished child processes of this one so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pdf_pages(files: list[Path]) -> int:
    from pypdf import PdfReader  # noqa: PLC0415 - a test dependency, installed with the lock

    return sum(len(PdfReader(file).pages) for file in files)


def chromium_print(files: list[Path], folder: Path, jobs: int) -> float | None:
    """Headless Chromium printing each file to PDF, one process per file, `jobs` at a time."""
    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    for old in folder.glob("chromium-*.pdf"):
        old.unlink()
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


def versus_chromium(folder: Path, jobs: int) -> dict[str, float] | None:
    """One side-by-side run: `build --force --format pdf -j 2` of the default content as a
    process, then Chromium printing the four HTML files it built; wall and CPU of each."""
    project = default_project(folder, 1) if not (folder / "content").exists() else None
    content = folder / "content"
    out = folder / "output"
    if project is not None:
        subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content),
             "--out", str(out), "--format", "html", "--format", "pdf"],
            capture_output=True, check=True,
        )  # fmt: skip
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content),
               "--out", str(out), "--force", "--format", "pdf", "-j", str(jobs)]  # fmt: skip
    cpu = children_cpu()
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    ours = time.perf_counter() - started
    ours_cpu = children_cpu() - cpu
    html = sorted(p for p in out.rglob("*.html") if p.name != "index.html")
    pdfs = sorted(out.rglob("*.pdf"))
    cpu = children_cpu()
    theirs = chromium_print(html, folder, jobs)
    if theirs is None:
        return None
    theirs_cpu = children_cpu() - cpu
    our_pages, their_pages = pdf_pages(pdfs), pdf_pages(sorted(folder.glob("chromium-*.pdf")))
    return {
        "wall": ours, "cpu": ours_cpu, "pages": our_pages,
        "chromium_wall": theirs, "chromium_cpu": theirs_cpu, "chromium_pages": their_pages,
        "wall_ratio": ours / theirs, "cpu_ratio": ours_cpu / theirs_cpu,
    }  # fmt: skip


# Where a PDF's time goes ---------------------------------------------------------------

PHASES = (
    ("tinyhtml5", "parse", "HTML parsing"),
    ("weasyprint.document", "get_all_computed_styles", "style matching and cascade"),
    ("weasyprint.document", "build_formatting_structure", "box tree"),
    ("weasyprint.document", "draw_page", "drawing pages"),
    ("weasyprint.pdf", "add_tags", "PDF/UA tags (WeasyPrint)"),
    ("weasyprint.pdf", "build_fonts_dictionary", "fonts and subsetting"),
    ("pydyf", "PDF.write", "PDF serialising and compression"),
    ("briefing.pdf", "finish_tags", "PDF/UA tags (briefing.tagging)"),
    ("briefing.render", "render_html", "briefing: Jinja"),
    ("briefing.pool", "resolve_view", "briefing: resolve"),
)


@contextmanager
def phase_clock() -> Iterator[dict[str, float]]:
    """CPU time spent in each phase while the block runs, by wrapping the functions in
    PHASES where their callers look them up (outermost call only)."""
    import importlib  # noqa: PLC0415

    import weasyprint  # noqa: PLC0415

    spent: dict[str, float] = defaultdict(float)
    depth: dict[str, int] = defaultdict(int)
    undo = []

    def wrap(owner: object, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args: object, **kwargs: object) -> object:
            depth[label] += 1
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                depth[label] -= 1
                if not depth[label]:
                    spent[label] += time.process_time() - started

        setattr(owner, name, timed)
        undo.append((owner, name, original))

    for module, name, label in PHASES:
        owner: object = importlib.import_module(module)
        *path, attribute = name.split(".")
        for part in path:
            owner = getattr(owner, part)
        wrap(owner, attribute, label)
    wrap(weasyprint.HTML, "render", "HTML.render")
    try:
        yield spent
    finally:
        for owner, name, original in reversed(undo):
            setattr(owner, name, original)


def where_time_goes(audience: str) -> tuple[float, int, dict[str, float]]:
    """CPU seconds of one warm PDF render of the default memo for `audience`, its pages,
    and the seconds of each phase (layout: HTML.render less parsing, styles and boxes)."""
    from briefing.planning import Output  # noqa: PLC0415
    from briefing.pool import render_output  # noqa: PLC0415

    project = Project.at(ROOT / "content", output=Path(tempfile.mkdtemp()) / "output")
    content = check(project).content
    output = Output("taliban-policy", audience, "pdf")
    render_output(content, project, output)  # warm: fonts loaded, templates compiled
    with phase_clock() as spent:
        started = time.process_time()
        result = render_output(content, project, output)
        total = time.process_time() - started
    assert result.pages is not None, result.failure
    phases = dict(spent)
    render = phases.pop("HTML.render")
    inside = ("style matching and cascade", "box tree")
    phases["layout (line breaking, pagination)"] = render - sum(phases.get(k, 0) for k in inside)
    phases["rest (PDF objects, links, metadata, our glue)"] = total - sum(phases.values())
    return total, result.pages.body + result.pages.annex, phases


# `briefing watch` latency --------------------------------------------------------------


PRINCIPAL_PAGE = "/taliban-policy/principal.html"


def watch_latency(folder: Path, saves: int) -> dict[str, list[float]]:
    """Through the real watcher and the page's own event stream: save the memo, then time
    until the principal's page is told to reload, until every page is (the round's HTML is
    done), and until principal.pdf is replaced."""
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    out = folder / "output"
    log = folder / "watch.log"
    command = [sys.executable, str(ROOT / "build.py"), "watch", "--content",
               str(folder / "content"), "--out", str(out), "--port", "0"]  # fmt: skip
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, stderr=stderr)
    try:
        address = _watch_ready(process, log)
        heard: list[tuple[float, str, str]] = []
        threading.Thread(target=_listen, args=(address, heard), daemon=True).start()
        time.sleep(0.5)
        memo = folder / "content" / "memos" / "taliban-policy.yaml"
        return _time_saves(memo, out / "taliban-policy" / "principal.pdf", heard, log, saves)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _listen(address: str, heard: list[tuple[float, str, str]]) -> None:
    """Read the event stream a served page reads, noting when each event arrives."""
    kind = "round"
    with urllib.request.urlopen(address + "__briefing/events", timeout=600) as stream:
        for raw in stream:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                kind = line.removeprefix("event: ")
            elif line.startswith("data: "):
                heard.append((time.perf_counter(), kind, line.removeprefix("data: ")))
                kind = "round"


def _watch_ready(process: subprocess.Popen[bytes], log: Path) -> str:
    """The watch's address, once its first build (HTML, PDF, DOCX) is done."""
    deadline = time.monotonic() + 600
    while not (found := re.search(r"http://127\.0\.0\.1:\d+/", log.read_text())):
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.05)
    while "done in" not in log.read_text():
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)
    time.sleep(2)
    return found.group()


def _time_saves(
    memo: Path, principal: Path, heard: list[tuple[float, str, str]], log: Path, saves: int
) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"page": [], "round": [], "pdf": []}
    text = memo.read_text(encoding="utf-8")
    for number in range(saves):
        before = principal.stat().st_mtime_ns
        edited = text.replace(
            "from: Policy Planning Staff", f"from: Policy Planning Staff {number}"
        )
        already = len(heard)
        started = time.perf_counter()
        memo.write_text(edited, encoding="utf-8")
        pdf = None
        while pdf is None or not any(kind == "round" for _, kind, _ in heard[already:]):
            assert time.perf_counter() - started < 300, log.read_text()
            if pdf is None and principal.stat().st_mtime_ns != before:
                pdf = time.perf_counter() - started
            time.sleep(0.005)
        new = heard[already:]
        page = next(t for t, kind, data in new if kind == "page" and data.endswith(PRINCIPAL_PAGE))
        done = next(t for t, kind, _ in new if kind == "round")
        times["page"].append(page - started)
        times["round"].append(done - started)
        times["pdf"].append(pdf)
        while "done in" not in log.read_text().rsplit("changed:", 1)[-1]:  # the round is done
            time.sleep(0.1)
        time.sleep(1)
    return times


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
    parser.add_argument("--repeat", type=int, default=3, help="runs of the Chromium comparison")
    parser.add_argument("--saves", type=int, default=5, help="saves timed in `watch`")
    parser.add_argument(
        "--parts", default=",".join(PARTS), help=f"what to measure, of {', '.join(PARTS)}"
    )
    parser.add_argument("--scale-one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    jobs = min(2, available_cores())
    if args.scale_one:
        print(json.dumps(scale_one(args.scale_one, jobs)))
        return

    parts = set(args.parts.split(","))
    load = os.getloadavg()[0]
    print(f"machine: {available_cores()} cores available; Python {sys.version.split()[0]}; "
          f"load average {load:.1f} at the start")  # fmt: skip
    if "build" in parts:
        build_figures(args.copies, jobs)
    if "chromium" in parts:
        chromium_figures(args.repeat, jobs)
    if "profile" in parts:
        profile_figures()
    if "watch" in parts:
        watch_figures(args.saves)
    if "scale" in parts:
        scale_figures(args.sizes)


def build_figures(copies: int, jobs: int) -> None:
    """Overhead over raw WeasyPrint, parallel speed-up, no-op and check."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        project = default_project(folder, copies)
        pdfs = len(plan(check(project).content, formats=["pdf"]))
        print(f"\ncontent: the default memo x{copies}, 4 audiences: {pdfs} PDFs per build")

        timed_build(project, formats=["pdf"], jobs=jobs)  # warm the file cache
        full = timed_build(project, formats=["pdf"], jobs=jobs)
        raw = raw_weasyprint(project, jobs)
        print(f"overhead   full build {full:6.2f} s  raw WeasyPrint {raw:6.2f} s  "
              f"ratio {full / raw:.2f}x  (goal <= 1.10x)")  # fmt: skip

        serial = timed_build(project, formats=["pdf"], jobs=1)
        print(f"parallel   1 job {serial:6.2f} s  {jobs} jobs {full:6.2f} s  "
              f"speed-up {serial / full:.2f}x  (goal >= 1.9x on 2 cores)")  # fmt: skip

        build(project)
        noop = best_of(5, lambda: build(project))
        cli_noop = cli_seconds("build", "--content", str(project.content),
                               "--out", str(project.output))  # fmt: skip
        cold = cli_seconds("check", "--content", str(project.content))
        print(f"no-op      rebuild in process {noop:.3f} s; "
              f"`python build.py build` {cli_noop:.3f} s  (goal <= 0.25 s)")  # fmt: skip
        print(f"check      `python build.py check`, cold process {cold:.3f} s  (goal < 0.6 s)")


def chromium_figures(repeat: int, jobs: int) -> None:
    """The default build against Chromium, `repeat` times, medians."""
    print(f"\nchromium   default build of the 4 PDFs (`build --force --format pdf -j {jobs}`) vs "
          f"headless Chromium printing the same memos' HTML, {jobs} at a time; "
          f"{repeat} runs, medians")  # fmt: skip
    runs = []
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(repeat):
            run = versus_chromium(Path(scratch), jobs)
            if run is None:
                break
            runs.append(run)
    if not runs:
        print("           skipped: no `chromium` on this machine (apt-get install chromium)")
    else:
        med = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        print(
            f"           briefing {med['wall']:5.2f} s wall {med['cpu']:5.2f} s CPU "
            f"{med['pages']:.0f} pages = {med['cpu'] / med['pages']:.3f} CPU s/page"
        )
        print(
            f"           chromium {med['chromium_wall']:5.2f} s wall "
            f"{med['chromium_cpu']:5.2f} s CPU {med['chromium_pages']:.0f} pages = "
            f"{med['chromium_cpu'] / med['chromium_pages']:.3f} CPU s/page"
        )
        print(f"           wall ratio {med['wall_ratio']:.2f}x (goal <= 0.5x)  "
              f"CPU ratio {med['cpu_ratio']:.2f}x (goal <= 1.5x)  "
              f"each run: " + ", ".join(f"{r['wall_ratio']:.2f}/{r['cpu_ratio']:.2f}"
                                        for r in runs))  # fmt: skip


def profile_figures() -> None:
    """Where a PDF's time goes, for the longest memo and the shortest."""
    print("\nprofile    one warm PDF render in this process, CPU seconds by phase")
    for audience in ("staff", "principal"):
        total, pages, phases = where_time_goes(audience)
        print(f"           {audience}: {total:.2f} s for {pages} pages = "
              f"{total / pages:.3f} s/page")  # fmt: skip
        ours = sum(v for k, v in phases.items() if "briefing" in k)
        for label, seconds in sorted(phases.items(), key=lambda item: -item[1]):
            print(f"             {label:46s} {seconds:6.2f} s {100 * seconds / total:4.0f}%  "
                  f"{seconds / pages:.3f} s/page")  # fmt: skip
        print(f"             WeasyPrint {100 * (1 - ours / total):.0f}%, briefing's own code "
              f"{100 * ours / total:.0f}%")  # fmt: skip


def watch_figures(saves: int) -> None:
    """`watch` latencies through the real file watcher."""
    with tempfile.TemporaryDirectory() as scratch:
        times = watch_latency(Path(scratch), saves)
    page, round_, pdf = (statistics.median(times[key]) for key in ("page", "round", "pdf"))
    print(f"\nwatch      save -> principal page told to reload {page:.2f} s (goal <= 0.3 s); "
          f"-> all four pages {round_:.2f} s; -> principal PDF rewritten {pdf:.2f} s "
          f"(goal <= 0.8 s); medians of {saves} saves")  # fmt: skip
    for key, label in (("page", "page"), ("round", "all pages"), ("pdf", "PDF")):
        print(f"           {label:10s}" + " ".join(f"{t:5.2f}" for t in times[key]))


def scale_figures(sizes: str) -> None:
    """Synthetic content, each size in its own process."""
    print("\nscale      positions  outputs  seconds  per output  peak MB (worker / main)")
    for size in [int(s) for s in sizes.split(",") if s]:
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
