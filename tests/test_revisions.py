"""`briefing diff` reads a git revision without writing or reading outside its temporary
folder, whatever the revision holds (security review of 2026-12-06: H2, H4, M1, L1, L3, I1).

Each test builds a real repository from a project `briefing init` starts, commits a hostile
revision beside the clean one (crafted trees are written object by object, as a pushed
branch can carry them), and runs the real command line. Redlines are made in HTML only, to
keep the file quick.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefing import revisions
from briefing.cli import cli
from briefing.scaffold import init_project

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None, reason="git is not installed: no revisions to read"
)
ZEROS_60_MB = 60_000_000


def _git(
    folder: Path, *arguments: str, data: bytes | None = None, index: Path | None = None
) -> str:
    environment = {**os.environ, "GIT_AUTHOR_DATE": "2026-12-06T00:00:00Z"}
    environment["GIT_COMMITTER_DATE"] = environment["GIT_AUTHOR_DATE"]
    if index is not None:
        environment["GIT_INDEX_FILE"] = str(index)
    done = subprocess.run(
        ["git", "-c", "user.name=Drafter", "-c", "user.email=drafter@example.org", *arguments],
        cwd=folder, input=data, capture_output=True, check=True, env=environment,
    )  # fmt: skip
    return done.stdout.decode().strip()


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A project started with `briefing init`, committed on `main`."""
    root = tmp_path / "memo"
    init_project(root)
    _git(root, "init", "--quiet", "--initial-branch=main")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "-m", "Memo as cleared")
    return root


def _blob(repository: Path, data: bytes) -> str:
    return _git(repository, "hash-object", "-w", "--stdin", data=data)


def _tree(repository: Path, entries: list[tuple[str, str, str]]) -> str:
    """A tree holding `entries` (mode, name, object) exactly as given, duplicates and odd
    names included: written literally, as git's own checks would refuse it."""
    raw = b"".join(
        f"{mode} {name}".encode() + b"\0" + bytes.fromhex(oid) for mode, name, oid in entries
    )
    return _git(repository, "hash-object", "-t", "tree", "-w", "--literally", "--stdin", data=raw)


def _branch_with_top(repository: Path, branch: str, name: str, tree: str) -> str:
    """Commit on `branch` the tree of `main` with its top-level entry `name` replaced by
    (or added as) the folder `tree`."""
    entries = []
    for line in _git(repository, "ls-tree", "main").splitlines():
        meta, path = line.split("\t", 1)
        mode, _kind, oid = meta.split()
        if path != name:
            entries.append((mode, path, oid))
    root = _tree(repository, [*entries, ("40000", name, tree)])
    commit = _git(repository, "commit-tree", root, "-p", "main", "-m", branch)
    _git(repository, "branch", "--force", branch, commit)
    return commit


def _branch_with(repository: Path, branch: str, entries: dict[str, tuple[str, str]]) -> str:
    """Commit on `branch` the tree of `main` with `entries` (path: mode, object) put in,
    through an index of its own: the working tree and the real index are left alone."""
    index = repository.parent / f"{branch}.index"
    _git(repository, "read-tree", "main", index=index)
    for path, (mode, oid) in entries.items():
        _git(
            repository, "update-index", "--add", "--cacheinfo", f"{mode},{oid},{path}", index=index
        )
    tree = _git(repository, "write-tree", index=index)
    commit = _git(repository, "commit-tree", tree, "-p", "main", "-m", branch)
    _git(repository, "branch", "--force", branch, commit)
    return commit


def _diff(
    repository: Path, tmp_path: Path, *sides: str, formats: tuple[str, ...] = ("html",)
) -> Result:
    """`briefing diff` run from the project folder, in `formats` (HTML only unless told),
    into tmp_path/out."""
    chosen = [option for kind in formats for option in ("--format", kind)]
    with contextlib.chdir(repository):
        out = str(tmp_path / "out")
        return CliRunner().invoke(cli, ["diff", *chosen, "--out", out, *sides])


def _assert_refused(result: Result, *said: str) -> None:
    """Exit 2 with a B417 message saying each of `said`, short, and no traceback."""
    assert result.exit_code == 2, result.output
    assert "[B417]" in result.output, result.output
    for words in said:
        assert words in result.output, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len(result.output) < 1000, "the message quotes something in full"


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder temporary folders are made in, inside tmp_path, so that anything written
    beside or above a revision's folder lands where a test can look."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_crafted_tree_cannot_write_outside_the_temporary_folder(
    repository: Path, tmp_path: Path, scratch: Path
) -> None:
    """H2: the tarfile `data` filter bypass (CVE-2025-4517) of the review, rebuilt: links
    and trees of one name, a chain of 247-character folders past PATH_MAX, and a link
    `escape` beside a tree `escape/` holding the file to plant in `scratch/t3/sec`."""
    (scratch / "t3" / "sec").mkdir(parents=True)
    long_name, steps, link = "d" * 247, "abcdefghijklmnop", "l" * 254
    tree = _tree(repository, [("100644", "x", _blob(repository, b"x\n"))])
    for step in reversed(steps[1:]):
        tree = _tree(
            repository,
            [("40000", long_name, tree), ("120000", step, _blob(repository, long_name.encode()))],
        )
    chain = tree
    tree = _tree(repository, [("120000", link, _blob(repository, b"../" * len(steps)))])
    for step in reversed(steps[1:]):
        tree = _tree(repository, [("40000", step, tree)])
    planted = _tree(repository, [("100644", "PWNED-tar.txt", _blob(repository, b"planted\n"))])
    target = "/".join(steps) + f"/{link}/../../t3/sec"
    seed = (repository / "seeds" / "sample-article.txt").read_bytes()
    seeds = _tree(
        repository,
        [
            ("40000", long_name, chain),
            ("120000", "a", _blob(repository, long_name.encode())),
            ("40000", "a", tree),
            ("120000", "escape", _blob(repository, target.encode())),
            ("40000", "escape", planted),
            ("100644", "sample-article.txt", _blob(repository, seed)),
        ],
    )
    _branch_with_top(repository, "bypass", "seeds", seeds)

    for sides in (("bypass", "main"), ("main", "bypass")):
        result = _diff(repository, tmp_path, *sides)
        _assert_refused(result, "holds a file refused")
        assert not list(tmp_path.rglob("PWNED-tar.txt")), "a file was planted outside"
    assert list(scratch.iterdir()) == [scratch / "t3"], "the temporary folders are removed"


TWICE = "is given twice"
CRAFTED_SEEDS = {
    "file-twice": ([("100644", "x", "one"), ("100644", "x", "two")], f"'seeds/x' {TWICE}"),
    "file-and-folder": ([("100644", "a", "one"), ("40000", "a", "tree")], f"'seeds/a' {TWICE}"),
    "dot-dot": ([("40000", "..", "tree")], "has an empty, '.' or '..' part"),
    "dot": ([("40000", ".", "tree")], "has an empty, '.' or '..' part"),
    "backslash": ([("100644", "a\\..\\x", "one")], "has a backslash"),
    "tree-as-file": ([("100644", "x", "tree")], "'seeds/x' is a file whose object is a tree"),
}  # fmt: skip
"""Trees git would not write, as `seeds/` (beside the real seed), and what is said of each."""


@pytest.mark.parametrize("case", CRAFTED_SEEDS)
def test_a_tree_with_names_git_would_not_write_is_refused(
    repository: Path, tmp_path: Path, scratch: Path, case: str
) -> None:
    """Duplicate names, `.`, `..`, backslashes and a file that is a folder, in a crafted
    `seeds/`."""
    entries, said = CRAFTED_SEEDS[case]
    objects = {
        "one": _blob(repository, b"one\n"),
        "two": _blob(repository, b"two\n"),
        "tree": _tree(repository, [("100644", "x", _blob(repository, b"x\n"))]),
    }
    seed = _blob(repository, (repository / "seeds" / "sample-article.txt").read_bytes())
    seeds = _tree(
        repository,
        [(mode, name, objects[what]) for mode, name, what in entries]
        + [("100644", "sample-article.txt", seed)],
    )
    _branch_with_top(repository, "crafted", "seeds", seeds)
    _assert_refused(_diff(repository, tmp_path, "crafted", "main"), said)
    assert list(scratch.iterdir()) == []
    assert not (tmp_path / "x").exists()
    assert not (repository / "x").exists()


def test_a_tree_entry_without_a_name_stops_git_itself(
    repository: Path, tmp_path: Path, scratch: Path
) -> None:
    """An empty name in a tree: `git ls-tree` refuses to list it, and says so (B419)."""
    blob = _blob(repository, b"x\n")
    _branch_with_top(repository, "nameless", "seeds", _tree(repository, [("100644", "", blob)]))
    result = _diff(repository, tmp_path, "nameless", "main")
    assert result.exit_code == 2, result.output
    assert "[B419] fatal: empty filename in tree entry" in result.output
    assert list(scratch.iterdir()) == []


def test_links_in_a_revision_are_refused_and_nothing_outside_is_read(
    repository: Path, tmp_path: Path, scratch: Path
) -> None:
    """H4: `content/sources.yaml` a link through `content/z01..z20 -> .` (links git sorts
    after it) up to / and down to a secret; nothing of the secret is printed."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("api_token: abc123\npassword: hunter2\n", encoding="utf-8")
    hops = [f"z{number:02}" for number in range(1, 21)]
    target = "/".join(hops) + "/" + "../" * (len(hops) + 1) + str(secret).lstrip("/")
    here = _blob(repository, b".")
    _branch_with(
        repository,
        "chain",
        {
            "content/sources.yaml": ("120000", _blob(repository, target.encode())),
            **{f"content/{hop}": ("120000", here) for hop in hops},
        },
    )
    result = _diff(repository, tmp_path, "chain", "main")
    _assert_refused(result, "'content/sources.yaml' is a symbolic link")
    for key in ("api_token", "password", "abc123", "hunter2"):
        assert key not in result.output


@pytest.mark.parametrize(
    ("path", "mode", "what"),
    [
        ("seeds/sample-article.txt", "120000", "is a symbolic link"),
        ("briefing.yaml", "120000", "is a symbolic link"),
        ("content/vendor", "160000", "is a submodule"),
    ],
)
def test_an_absolute_link_or_a_submodule_is_refused_by_name(
    repository: Path, tmp_path: Path, scratch: Path, path: str, mode: str, what: str
) -> None:
    """A seed or settings file linked to /etc/passwd, and a gitlink in the content folder
    (which `git archive` made an empty folder of): refused, never skipped."""
    oid = (
        _git(repository, "rev-parse", "main")
        if mode == "160000"
        else _blob(repository, b"/etc/passwd")
    )
    _branch_with(repository, "linked", {path: (mode, oid)})
    result = _diff(repository, tmp_path, "main", "linked")
    _assert_refused(result, f"'{path}' {what}")
    assert "root:" not in result.output
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("seeds/" + "n" * 300 + ".txt", "has a name over 255 bytes"),
        ("content/" + "deep/" * 900 + "x.yaml", "is over 1,024 bytes long"),
    ],
    ids=["long-name", "deep-path"],
)
def test_an_over_long_name_or_path_is_refused_as_b417_quoted_short(
    repository: Path, tmp_path: Path, scratch: Path, path: str, said: str
) -> None:
    """L3: a name over 255 bytes or a path over PATH_MAX was a B504 naming a temporary
    folder that was gone; it is the revision that is refused."""
    _branch_with(repository, "long", {path: ("100644", _blob(repository, b"text\n"))})
    result = _diff(repository, tmp_path, "long", "main")
    _assert_refused(result, said, "characters)")
    assert "B504" not in result.output


def _peak_bytes_of_diff(repository: Path, tmp_path: Path, *sides: str) -> tuple[Result, int]:
    """The diff's result and the most memory Python held while it ran (after one run to
    import everything it uses, so imports are not counted)."""
    _diff(repository, tmp_path, "main", "main")
    tracemalloc.start()
    try:
        result = _diff(repository, tmp_path, *sides)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_file_outside_the_folders_read_costs_nothing(
    repository: Path, tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """M1: 60 MB elsewhere in the project was read into memory whole (2.2 GB for 1.1 GB)
    and counted against the revision's limit; only the files a build reads count now."""
    docs = repository / "docs"
    docs.mkdir()
    (docs / "big.bin").write_bytes(bytes(ZEROS_60_MB))
    _git(repository, "add", "docs")
    _git(repository, "commit", "--quiet", "-m", "A large file beside the memo")
    monkeypatch.setattr(revisions, "REVISION_MAX_BYTES", 5_000_000)
    result, peak = _peak_bytes_of_diff(repository, tmp_path, "main~1", "main")
    assert result.exit_code == 0, result.output
    assert "congestion/staff: unchanged" in result.output
    assert peak < 30_000_000, f"{peak:,} bytes held"


def test_a_large_seed_is_refused_before_it_is_read(
    repository: Path, tmp_path: Path, scratch: Path
) -> None:
    """M1: a 60 MB seed (over the 10,000,000 a seed may have) is refused from the size git
    reports, not read into memory or onto disk."""
    big = _blob(repository, bytes(ZEROS_60_MB))
    _branch_with(repository, "big", {"seeds/big.txt": ("100644", big)})
    result, peak = _peak_bytes_of_diff(repository, tmp_path, "big", "main")
    _assert_refused(result, "'seeds/big.txt' is 60,000,000 bytes, over the limit of 10,000,000")
    assert peak < 20_000_000, f"{peak:,} bytes held"
    assert list(scratch.iterdir()) == []


def test_the_files_read_are_capped_together(
    repository: Path, tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seeds each within their limit but over REVISION_MAX_BYTES together are refused
    before any is written."""
    seeds = {
        f"seeds/part-{n}.txt": ("100644", _blob(repository, bytes([n]) * 400_000)) for n in range(3)
    }
    _branch_with(repository, "parts", seeds)
    monkeypatch.setattr(revisions, "REVISION_MAX_BYTES", 1_000_000)
    _assert_refused(_diff(repository, tmp_path, "parts", "main"), "is over 1,000,000 bytes")
    assert list(scratch.iterdir()) == []


def test_no_filter_or_hook_of_the_repository_runs(
    repository: Path, tmp_path: Path, scratch: Path
) -> None:
    """I1: a smudge filter and a textconv in .git/config, chosen for every file by the
    revision's own .gitattributes, and an fsmonitor hook: none runs, and the files are
    read as committed."""
    canary = tmp_path / "canary"
    command = f"sh -c 'echo ran >> {canary}; cat'"
    _git(repository, "config", "filter.canary.smudge", command)
    _git(repository, "config", "filter.canary.clean", "cat")
    _git(repository, "config", "diff.canary.textconv", command)
    hook = tmp_path / "fsmonitor.sh"
    hook.write_text(f"#!/bin/sh\necho ran >> {canary}\n", encoding="utf-8")
    hook.chmod(0o755)
    _git(repository, "config", "core.fsmonitor", str(hook))
    (repository / ".gitattributes").write_text("* filter=canary diff=canary\n", encoding="utf-8")
    (repository / "content" / ".gitattributes").write_text("* filter=canary\n", encoding="utf-8")
    _git(repository, "add", "--all")
    _git(repository, "commit", "--quiet", "-m", "Attributes")
    canary.unlink(missing_ok=True)  # git's own add and commit ran the filter
    result = _diff(repository, tmp_path, "main~1", "main")
    assert result.exit_code == 0, result.output
    assert not canary.exists(), "a program from the repository's configuration ran"


@pytest.mark.parametrize("revision", ["--output=OUT/pwn", "-o", "--exec=touch OUT/pwn", "--", "-"])
def test_an_option_like_revision_is_refused_and_never_reaches_git(
    repository: Path, tmp_path: Path, scratch: Path, revision: str
) -> None:
    """After `--` a revision starting with '-' is refused as B417; before it, click refuses
    it as an unknown option. Either way git never sees it and nothing is created."""
    revision = revision.replace("OUT", str(tmp_path))
    _assert_refused(_diff(repository, tmp_path, "--", revision, "main"), "cannot start with '-'")
    _assert_refused(_diff(repository, tmp_path, "--", "main", revision), "cannot start with '-'")
    if revision not in ("--", "-"):
        unknown = _diff(repository, tmp_path, revision, "main")
        assert unknown.exit_code == 2, unknown.output
    assert not (tmp_path / "pwn").exists()
    assert not (tmp_path / "out").exists()
    assert list(scratch.iterdir()) == []


def test_an_over_long_revision_is_b417_quoted_short(repository: Path, tmp_path: Path) -> None:
    """L1: 100,000 characters were a B504 "File name too long" quoting all of them."""
    result = _diff(repository, tmp_path, "--", "A" * 100_000, "main")
    _assert_refused(result, "(100,000 characters)", "longer than 1,024 characters")
    assert "B504" not in result.output


def test_two_dashes_end_the_options(
    repository: Path, tmp_path: Path, edit: Callable[[Path, str, str], None]
) -> None:
    """`briefing diff [OPTIONS] -- OLD NEW` compares two revisions as without `--`."""
    memo = repository / "content" / "memos" / "congestion.yaml"
    edit(memo, "congestion: {rating: advances", "congestion: {rating: mixed")
    _git(repository, "commit", "--quiet", "--all", "-m", "Rating revised")
    result = _diff(repository, tmp_path, "--", "main~1", "main")
    assert result.exit_code == 1, result.output
    assert "congestion/staff: 1 change(s)" in result.output, "the rating"
    assert (tmp_path / "out" / "congestion" / "staff.html").is_file()


def test_a_project_in_a_subfolder_of_the_repository_is_read_from_there(tmp_path: Path) -> None:
    """The revision's files are taken from the project's folder within the repository, and
    the working tree, index and HEAD are left as they were."""
    top = tmp_path / "repo"
    init_project(top / "offices" / "memo")
    (top / "content").mkdir()
    (top / "content" / "sources.yaml").write_text("not: this one\n", encoding="utf-8")
    _git(top, "init", "--quiet", "--initial-branch=main")
    _git(top, "add", "--all")
    _git(top, "commit", "--quiet", "-m", "Two folders")
    result = _diff(top / "offices" / "memo", tmp_path, "main", "main")
    assert result.exit_code == 0, result.output
    assert "congestion/staff: unchanged" in result.output
    assert _git(top, "status", "--porcelain", "--untracked-files=no") == ""


def test_new_left_out_is_the_project_as_it_stands(
    repository: Path, tmp_path: Path, edit: Callable[[Path, str, str], None]
) -> None:
    """`briefing diff REV` redlines the revision against the files as they are now, edits
    not yet committed included."""
    memo = repository / "content" / "memos" / "congestion.yaml"
    edit(memo, "congestion: {rating: advances", "congestion: {rating: mixed")
    result = _diff(repository, tmp_path, "main")
    assert result.exit_code == 1, result.output
    assert "congestion/staff: 1 change(s)" in result.output, "the rating"
    page = (tmp_path / "out" / "congestion" / "staff.html").read_text(encoding="utf-8")
    assert "to <b>the working tree</b>" in page


@pytest.fixture
def own_audience(tmp_path: Path, edit: Callable[[Path, str, str], None]) -> Path:
    """A project started with `briefing init`, given an audience of its own with
    `briefing new audience ambassador` (a template in my-templates/, named by
    briefing.yaml) and committed on `main`; then its memo edited and committed."""
    root = tmp_path / "memo"
    init_project(root)
    with contextlib.chdir(root):
        made = CliRunner().invoke(cli, ["new", "audience", "ambassador"])
    assert made.exit_code == 0, made.output
    assert (root / "my-templates" / "ambassador.html.j2").is_file()
    assert "templates: my-templates" in (root / "briefing.yaml").read_text(encoding="utf-8")
    _git(root, "init", "--quiet", "--initial-branch=main")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "-m", "An audience of our own")
    memo = root / "content" / "memos" / "congestion.yaml"
    edit(memo, "congestion: {rating: advances", "congestion: {rating: mixed")
    _git(root, "commit", "--quiet", "--all", "-m", "Rating revised")
    return root


@pytest.mark.parametrize("sides", [("HEAD~1",), ("HEAD~1", "HEAD")])
def test_each_revision_is_read_with_its_own_templates_folder(
    own_audience: Path, tmp_path: Path, scratch: Path, sides: tuple[str, ...]
) -> None:
    """A project whose settings name a templates folder is redlined from a revision (once
    refused with B214: the folder was not read), for its own audience too, in pages laid
    out with the new side's templates."""
    out = tmp_path / "out"
    result = _diff(own_audience, tmp_path, *sides, formats=("html", "pdf"))
    assert result.exit_code == 1, result.output
    assert "congestion/ambassador: 1 change(s)" in result.output, "the rating"
    assert "congestion/staff: 1 change(s)" in result.output
    for kind in ("html", "pdf"):
        assert (out / "congestion" / f"ambassador.{kind}").is_file(), kind
    assert _git(own_audience, "status", "--porcelain") == "", "the working tree is untouched"
    assert not list(scratch.glob("briefing-revision-*")), "the revisions' folders are removed"


@pytest.mark.parametrize(
    ("entries", "said"),
    [
        ({"my-templates/ambassador.html.j2": "/etc/passwd"}, "'my-templates/ambassador.html.j2'"),
        ({"my-templates/assets": "/"}, "'my-templates/assets'"),
    ],
)
def test_a_link_in_a_revision_s_templates_folder_is_refused(
    own_audience: Path, tmp_path: Path, scratch: Path, entries: dict[str, str], said: str
) -> None:
    """A template or the assets folder a PDF reads from, linked out of the project: the
    revision is refused as one with a linked content or seed file is, nothing read."""
    links = {
        path: ("120000", _blob(own_audience, target.encode())) for path, target in entries.items()
    }
    _branch_with(own_audience, "linked", links)
    for sides in (("linked", "main"), ("main", "linked")):
        result = _diff(own_audience, tmp_path, *sides)
        _assert_refused(result, f"{said} is a symbolic link")
        assert "root:" not in result.output
    assert list(scratch.iterdir()) == []


def test_a_revision_s_templates_folder_outside_the_project_is_not_read(
    own_audience: Path, tmp_path: Path, scratch: Path
) -> None:
    """Settings naming a folder above the project: nothing there is read, and the side is
    refused with the check a working tree gets (B214)."""
    (tmp_path / "outside").mkdir()
    settings = _blob(own_audience, b"templates: ../outside\n")
    _branch_with(own_audience, "outside", {"briefing.yaml": ("100644", settings)})
    result = _diff(own_audience, tmp_path, "outside", "main")
    assert result.exit_code == 2, result.output
    assert "[B214]" in result.output
    assert "templates folder '../outside' is outside the project folder" in result.output
    assert list(scratch.iterdir()) == []
