"""The build cache: keyed on every file an output was made from, and never a reason to fail.

A PDF's key covers what its renderer actually fetched (an @import-ed stylesheet, an image,
the fonts), so editing any of them rebuilds it. A manifest that is not what briefing
writes, whatever JSON or bytes it holds, means no cache: one warning (W501), a full
rebuild and a fresh manifest; and no name in it makes a build read a file outside the
template folders.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from small_content import MEMO, audience, content, memo, point, position

from briefing import Project, build, check
from briefing.cache import MANIFEST, BuildCache, content_inputs, sources_read
from briefing.cli import cli
from briefing.resolve import resolve_view

ROOT = Path(__file__).resolve().parent.parent
STAFF_HTML = "taliban-policy/staff.html"
STARTED_STAFF_HTML = "congestion/staff.html"
"""The staff memo of the project `briefing init` starts (the `started` fixture)."""


def _png(path: Path, colour: tuple[int, int, int]) -> None:
    Image.new("RGB", (8, 8), colour).save(path)


def test_every_file_a_pdf_fetched_is_in_its_cache_key(project_copy: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    assets = mine / "assets"
    assets.mkdir(parents=True)
    (assets / "extra.css").write_text('@import url("colours.css");\nimg { width: 2cm; }\n')
    (assets / "colours.css").write_text("h1 { color: #102030; }\n")
    _png(assets / "seal.png", (200, 30, 30))
    (mine / "principal.html.j2").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>{{ view.memo.title }}</title>\n"
        '<style>{% include "assets/fonts.css" %} h1 { font-family: var(--serif); }</style>\n'
        f'<link rel="stylesheet" href="{(assets / "extra.css").as_uri()}"></head>\n'
        '<body><h1>{{ view.memo.title }}</h1><img src="seal.png" alt="seal"></body></html>\n'
    )
    out = tmp_path / "out"
    pdf = out / "taliban-policy" / "principal.pdf"
    project = Project.at(project_copy, output=out, templates=mine)

    def rebuilt() -> bool:
        report = build(project, audiences=["principal"], formats=["pdf"], jobs=1)
        assert report.failures == []
        return bool(report.written)

    assert rebuilt()
    assert not rebuilt(), "nothing changed: up to date"
    before = pdf.read_bytes()
    (assets / "colours.css").write_text("h1 { color: #a01010; }\n")
    assert rebuilt(), "an @import-ed stylesheet changed"
    assert pdf.read_bytes() != before

    before = pdf.read_bytes()
    _png(assets / "seal.png", (30, 30, 200))
    assert rebuilt(), "an image in the user's assets changed"
    assert pdf.read_bytes() != before
    assert not rebuilt()

    recorded = json.loads((out / MANIFEST).read_text())["outputs"]["taliban-policy/principal.pdf"]
    assert {str(assets / "extra.css"), str(assets / "colours.css"), "seal.png"} <= set(
        recorded["assets"]
    )
    assert "fonts/LiberationSerif-Regular.ttf" in recorded["assets"], "fonts are fetches too"


def test_every_pdf_a_process_renders_records_the_fonts_it_embeds(
    project_copy: Path, tmp_path: Path
) -> None:
    """WeasyPrint loads a font once per process; the second memo made from it counts it too."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "short.html.j2").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>t</title>'
        '<style>{% include "assets/fonts.css" %} h1 { font-family: var(--serif); }</style>'
        "</head><body><h1>{{ view.memo.title }}</h1></body></html>\n"
    )
    audiences = project_copy / "audiences"
    for name in ("first", "second"):
        profile = (audiences / "principal.yaml").read_text()
        (audiences / f"{name}.yaml").write_text(
            profile.replace("principal.html.j2", "short.html.j2")
        )
    out = tmp_path / "out"
    project = Project.at(project_copy, output=out, templates=mine)
    report = build(project, audiences=["first", "second"], formats=["pdf"], jobs=1)
    assert len(report.written) == 2, report.failures
    outputs = json.loads((out / MANIFEST).read_text())["outputs"]
    for name in ("first", "second"):
        assert (
            "fonts/LiberationSerif-Regular.ttf" in outputs[f"taliban-policy/{name}.pdf"]["assets"]
        )


def _key(project: Project, templates: list[str], assets: list[str], options: str) -> str:
    """The key of the staff memo as a build would compute it now, content read afresh."""
    checked = check(project)
    seeds = checked.verification.seed_digests
    inputs = content_inputs(checked.content, seeds, "taliban-policy", "staff")
    return BuildCache(project.output).key(inputs, templates, assets, project, options)


def _retitle(position: Path) -> None:
    """Give a position another title, whatever its `title:` line says now."""
    text = position.read_text(encoding="utf-8")
    new = "title: A title not yet used"
    changed, count = re.subn(r"^title: .*$", new, text, count=1, flags=re.MULTILINE)
    assert count == 1, f"no title line in {position}"
    position.write_text(changed, encoding="utf-8")


def test_the_key_changes_with_each_thing_the_output_is_made_from_and_nothing_else(
    project_copy: Path, tmp_path: Path, edit: Callable[[Path, str, str], None]
) -> None:
    mine = tmp_path / "mine"
    (mine / "assets").mkdir(parents=True)
    (mine / "assets" / "extra.css").write_text("h1 { color: #102030; }\n")
    project = Project.at(project_copy, output=tmp_path / "out", templates=mine)
    made_from = (["staff.html.j2", "base.html.j2"], ["extra.css"], "html|[]")
    keys = [_key(project, *made_from)]

    def changed(what: str) -> None:
        key = _key(project, *made_from)
        assert key not in keys, f"{what}: the key did not change"
        keys.append(key)

    # Not what the staff memo is made from: the key stays.
    edit(project_copy / "audiences" / "public.yaml", "label: Public brief", "label: For all")
    shutil.copy(
        project_copy / "positions" / "status-quo.yaml", project_copy / "positions" / "x.yaml"
    )
    (mine / "assets" / "unused.css").write_text("p { margin: 0; }\n")
    assert _key(project, *made_from) == keys[0], "nothing it is made from changed"

    edit(project_copy / "memos" / "taliban-policy.yaml", "bluf: >-\n", "bluf: >-\n  Now:\n")
    changed("the memo")
    _retitle(project_copy / "positions" / "status-quo.yaml")
    changed("a position the memo presents")
    edit(project_copy / "sources.yaml", "title: Time for a", "title: Time For a")
    changed("the sources list")
    with (project_copy.parent / "seeds" / "001_9deb7b4cc9e4b973.txt").open("a") as seed:
        seed.write("\nA line added at the end.\n")
    changed("the seed text of a cited source")
    edit(project_copy / "audiences" / "staff.yaml", "label: Staff options memo", "label: Staff")
    changed("the audience's own profile")
    (mine / "staff.html.j2").write_text('{% extends "base.html.j2" %}\n')
    changed("a template of the same name put before the built-in one")
    (mine / "staff.html.j2").write_text('{% extends "base.html.j2" %}{# edited #}\n')
    changed("that template edited")
    (mine / "assets" / "extra.css").write_text("h1 { color: #a01010; }\n")
    changed("a file the renderer fetched")
    assert _key(project, *made_from) == keys[-1], "and then it stays"
    assert _key(project, made_from[0], made_from[1], "pdf|[]") not in keys, "another format"


def test_the_seeds_read_are_every_source_the_memo_and_its_options_name() -> None:
    """More than one document cites: a claim no profile shows, a stance, the advocate of an
    option shown in brief all key the memo's outputs, so no selection can leave one out."""
    x = position("x", advocates=("e",), risks=[point("for no one", "d", only=["nobody"])])
    y = position("y", stances={"q": point("a stance", "c")})
    the_content = content(
        memo("x", "y", questions=("q",)),
        {"x": x, "y": y},
        {"brief": audience("options", evidence="none")},
    )
    view = resolve_view(the_content, MEMO, "brief")
    assert [source.source.id for source in view.sources] == ["a"], "what the brief cites"
    assert sources_read(the_content, MEMO) == {"a", "c", "d", "e"}


def _code(folder: Path) -> str:
    """The stamp this version of briefing writes into its manifests."""
    BuildCache(folder).save()
    code: str = json.loads((folder / MANIFEST).read_text())["code"]
    return code


@pytest.mark.parametrize(
    ("damage", "force"),
    [
        ("[]", False),
        ("null", True),
        ('{"outputs": []}', False),
        ('{"code": "%s", "outputs": {"%s": "a string"}}', False),
        ('{"code": "%s", "outputs": {"%s": {"key": "0"}}}', True),
        ("\xff not even text", False),
    ],
    ids=["list", "null --force", "no code", "entry is text", "no templates --force", "bytes"],
)
def test_a_damaged_manifest_warns_rebuilds_and_is_replaced(
    started: Path, tmp_path: Path, damage: str, force: bool
) -> None:
    out = tmp_path / "out"
    args = ["build", "--content", str(started), "--out", str(out), "--audience", "staff",
            "--format", "html", "--jobs", "1"]  # fmt: skip
    assert CliRunner().invoke(cli, args).exit_code == 0
    if "%s" in damage:
        damage %= (_code(tmp_path / "stamp"), STARTED_STAFF_HTML)
    (out / MANIFEST).write_bytes(damage.encode("latin-1"))

    result = CliRunner().invoke(cli, [*args, "--force"] if force else args)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert result.output.count("[W501]") == 1
    assert f"{out / MANIFEST}: [W501] the build cache is damaged (" in result.output
    assert f"wrote {out / STARTED_STAFF_HTML}\n" in result.output

    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert "W501" not in again.output
    assert "0 built, 1 up to date" in again.output


# Hypothesis: any JSON, or any bytes, as a manifest.

_TEMPLATE_NAMES = ["staff.html.j2", "base.html.j2", "linked.j2", "../../../../../etc/hostname"]
_ASSET_NAMES = ["memo.css", "fonts/LiberationSans-Bold.ttf", "ok.css", "leak.css",
                "%2e%2e/%2e%2e/x", "../../../../../../etc/hostname", "/etc/hostname"]  # fmt: skip
_OUTPUT_NAMES = [STAFF_HTML, "taliban-policy/principal.pdf", "../victim.txt", "gone/x.pdf", ""]

_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
_json = st.recursive(
    _scalars | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


def _names(secret: str) -> tuple[st.SearchStrategy[list[str]], st.SearchStrategy[list[str]]]:
    """Template and asset name lists, hostile names among them."""
    templates = st.lists(st.sampled_from([*_TEMPLATE_NAMES, secret]), max_size=4)
    assets = st.lists(st.sampled_from([*_ASSET_NAMES, secret]), max_size=4)
    return templates, assets


def _well_formed(code: str, secret: str) -> st.SearchStrategy[bytes]:
    """Manifests of the shape briefing writes, naming anything in their entries."""
    templates, assets = _names(secret)
    entry = st.fixed_dictionaries(
        {
            "key": st.text(max_size=8),
            "digest": st.text(max_size=8),
            "templates": templates,
            "assets": assets,
        }
    )
    outputs = st.dictionaries(st.sampled_from(_OUTPUT_NAMES[:2]), entry, max_size=2)
    manifest = st.fixed_dictionaries({"code": st.just(code), "outputs": outputs})
    return manifest.map(lambda value: json.dumps(value).encode())


def _anything(code: str, secret: str) -> st.SearchStrategy[bytes]:
    """Any bytes, any JSON, and manifests with any part of their shape wrong."""
    templates, assets = _names(secret)
    entry = st.fixed_dictionaries(
        {
            "key": st.text(max_size=8) | _json,
            "digest": st.text(max_size=8) | _json,
            "templates": templates | _json,
            "assets": assets | _json,
        },
        optional={"extra": _json},
    )
    shaped = st.fixed_dictionaries(
        {
            "code": st.just(code) | _json,
            "outputs": st.dictionaries(
                st.sampled_from(_OUTPUT_NAMES) | st.text(max_size=10), entry | _json, max_size=3
            )
            | _json,
        }
    )
    as_json = (shaped | _json).map(lambda value: json.dumps(value).encode())
    return as_json | st.binary(max_size=40)


@pytest.fixture(scope="module")
def scratch() -> Iterator[tuple[Project, Path, str]]:
    """A project whose template folder links to a secret, its output folder, the stamp."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        secret = root / "secret.txt"
        secret.write_text("not for the cache")
        mine = root / "mine"
        (mine / "assets").mkdir(parents=True)
        (mine / "assets" / "ok.css").write_text("h1 { color: red; }")
        (mine / "assets" / "leak.css").symlink_to(secret)
        (mine / "linked.j2").symlink_to(secret)
        out = root / "out"
        out.mkdir()
        project = Project.at(ROOT / "content", output=out, templates=mine)
        yield project, secret, _code(root)


_examples = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_examples
@given(data=st.data())
def test_any_manifest_means_a_cache_or_no_cache_and_a_warning(
    scratch: tuple[Project, Path, str], files_opened: list[str], data: st.DataObject
) -> None:
    project, secret, code = scratch
    well_formed = data.draw(st.booleans())
    manifests = _well_formed if well_formed else _anything
    raw = data.draw(manifests(code, str(secret)))
    (project.output / MANIFEST).write_bytes(raw)

    cache = BuildCache.load(project.output)
    if well_formed:
        assert cache.warnings == []
        assert sorted(cache.entries) == sorted(json.loads(raw)["outputs"])
    if cache.warnings:
        [warning] = cache.warnings
        assert warning.code == "W501"
        assert warning.file == project.output / MANIFEST
        assert cache.entries == {}
    for relative in [*cache.entries, STAFF_HTML]:
        key = cache.key(
            ["memo:x"],
            cache.templates_of(relative) or [],
            cache.assets_of(relative),
            project,
            "html|[]",
        )
        cache.is_fresh(relative, key)
    cache.clean({("taliban-policy", "staff")})
    cache.save()
    assert BuildCache.load(project.output).warnings == [], "what it writes, it reads back"
    assert str(secret) not in files_opened, "no name in a manifest opens a file outside"


def test_a_build_stopped_before_its_index_is_written_leaves_no_stale_index(
    started: Path, tmp_path: Path, edit: Callable[[Path, str, str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Stopped after its outputs but before the output index, a build must not leave the
    next one thinking all is fresh: the index would name the memo by its old title."""
    from briefing import pipeline  # noqa: PLC0415

    project = Project.at(started, tmp_path / "out")
    build(project, formats=("html",), jobs=1)
    edit(started / "memos" / "congestion.yaml", "title: Congestion Pricing", "title: Road Pricing")
    written = pipeline.write_atomic

    def stopped_at_the_index(path: Path, data: bytes) -> None:
        if path.name == "index.html":
            raise KeyboardInterrupt
        written(path, data)

    monkeypatch.setattr(pipeline, "write_atomic", stopped_at_the_index)
    with pytest.raises(KeyboardInterrupt):
        build(project, formats=("html",), jobs=1)
    monkeypatch.undo()
    build(project, formats=("html",), jobs=1)
    index = (project.output / "index.html").read_text(encoding="utf-8")
    assert "Road Pricing for the City Centre" in index
    assert "Congestion Pricing for the City Centre" not in index


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.write_bytes(b""), id="cut-to-nothing"),
        pytest.param(lambda path: path.write_bytes(b"PK\x03\x04 not a memo"), id="garbage"),
        pytest.param(
            lambda path: path.write_bytes(path.read_bytes().replace(b"<h1", b"<h1 hidden", 1)),
            id="edited-by-hand",
        ),
    ],
)
def test_an_output_changed_since_the_build_wrote_it_is_rebuilt(
    started: Path, tmp_path: Path, damage: Callable[[Path], object]
) -> None:
    """Only what the cache wrote is up to date: a file replaced, cut short or edited since
    is built again, however fresh its key."""
    out = tmp_path / "out"
    arguments = ["build", "--content", str(started), "--out", str(out), "--format", "html"]
    first = CliRunner().invoke(cli, arguments)
    assert first.exit_code == 0, first.output
    memo = out / STARTED_STAFF_HTML
    written = memo.read_bytes()
    damage(memo)
    assert memo.read_bytes() != written
    again = CliRunner().invoke(cli, arguments)
    assert again.exit_code == 0, again.output
    assert "1 built" in again.output, again.output
    assert memo.read_bytes() == written
