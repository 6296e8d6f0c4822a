"""Templates see plain data: nothing reachable from a page's context parses, reads files or
runs code, and a template that reaches for pydantic's gadgets fails with B403."""

from __future__ import annotations

import datetime as dt
import shutil
import types
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from markupsafe import Markup

from briefing import Project
from briefing.cli import cli
from briefing.context import read_context
from briefing.pipeline import check
from briefing.redline import compare_views
from briefing.render import environment
from briefing.resolve import resolve_view
from briefing.review import review_memo

ROOT = Path(__file__).resolve().parent.parent
MEMO = "taliban-policy"

REVIEWED_CALLABLES = {
    # the project's views: data built from the view, no file read
    "MemoView.annex", "MemoView.annex_points", "MemoView.cite",
    # mappings, sequences and dates, read only
    "dict.get", "dict.items", "dict.keys", "dict.values",
    "list.count", "list.index", "tuple.count", "tuple.index",
    "date.isoformat", "date.strftime", "date.weekday", "date.isoweekday",
    "date.isocalendar", "int.bit_length", "float.is_integer",
}  # fmt: skip
"""Every callable a template may reach, besides the read-only methods of text below. A
name added here is a decision: it must return data and read, write or import nothing."""

TEXT_METHODS_REFUSED = {"encode", "format_map", "maketrans", "translate", "expandtabs"}
"""Text methods a template does not need; `format` goes through the sandbox's formatter."""


BUILTIN_KINDS = (Markup, str, dict, list, tuple, dt.date, int, float)
"""Values of subclasses (an enum of text, a named tuple) are named by the kind they are."""


def _name(value: Any) -> str:
    """`Owner.method` for a bound method, the qualified name for a function or class."""
    owner = getattr(value, "__self__", None)
    if isinstance(value, types.BuiltinMethodType) and owner is not None:
        if isinstance(owner, type):
            return f"{owner.__name__}.{value.__name__}"
        kind = next((k for k in BUILTIN_KINDS if isinstance(owner, k)), type(owner))
        return f"{kind.__name__}.{value.__name__}"
    return str(getattr(value, "__qualname__", type(value).__qualname__))


def _reachable(env: Any, roots: Mapping[str, object]) -> Iterator[tuple[str, str]]:
    """(path, callable's name) for every callable the sandbox lets a template reach and call
    from `roots`, walking attributes as the sandbox allows them and every item of a
    mapping or sequence (which the sandbox hands over without asking)."""
    seen: set[int] = set()
    types_seen: set[type] = set()
    queue: list[tuple[str, object]] = list(roots.items())
    while queue:
        path, obj = queue.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        plain = isinstance(obj, (str, int, float, dt.date)) or obj is None
        if plain and type(obj) in types_seen:
            continue
        types_seen.add(type(obj))
        for attr in dir(obj):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    value = getattr(obj, attr)
            except Exception:
                continue
            if not env.is_safe_attribute(obj, attr, value):
                continue
            if callable(value):
                if env.is_safe_callable(value):
                    yield f"{path}.{attr}", _name(value)
            elif not plain:
                queue.append((f"{path}.{attr}", value))
        if isinstance(obj, Mapping):
            queue.extend((f"{path}[{key!r}]", item) for key, item in obj.items())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            queue.extend((f"{path}[{i}]", item) for i, item in enumerate(obj))


@pytest.fixture(scope="module")
def contexts() -> dict[str, dict[str, object]]:
    """The context of every kind of page: a memo for each audience, the review edition and
    a redline."""
    project = Project.at(ROOT / "content", output=ROOT / "output")
    checked = check(project)
    content = checked.content
    pages: dict[str, dict[str, object]] = {
        audience: {"view": resolve_view(content, MEMO, audience), "target": "pdf"}
        for audience in content.audiences
    }
    seeds = checked.verification.seeds
    context = read_context(content, seeds, checked.verification.found)
    pages["review"] = {"review": review_memo(content, context, seeds, MEMO, project.root)}
    view = resolve_view(content, MEMO, "staff")
    pages["redline"] = {"redline": compare_views(view, view, "old", "new")}
    return pages


def test_nothing_a_template_reaches_is_callable_unless_reviewed(
    contexts: dict[str, dict[str, object]],
) -> None:
    env = environment((ROOT / "templates",))
    text_methods = {name for name in dir(str) if not name.startswith("_")}
    allowed = REVIEWED_CALLABLES | {
        f"{kind}.{name}"
        for kind in ("str", "Markup")
        for name in text_methods - TEXT_METHODS_REFUSED - {"format"}
    }
    allowed |= {"Markup.striptags", "Markup.unescape"}
    globals_ = {_name(value) for value in env.globals.values()}
    found: dict[str, str] = {}
    for page, context in contexts.items():
        for path, name in _reachable(env, {**context, **env.globals}):
            found.setdefault(name, f"{page}: {path}")
    walked = {name for name in found if name.startswith("MemoView.")}
    assert walked >= {"MemoView.cite", "MemoView.annex"}, "the walk missed the memo view"
    unreviewed = {name: where for name, where in found.items() if name not in allowed | globals_}
    assert unreviewed == {}


@pytest.mark.parametrize(
    "gadget",
    [
        "view.audience.show.parse_raw(\"cos\\nsystem\\n(S'touch {canary}'\\ntR0(d.\", "
        'proto="pickle", allow_pickle=True)',
        'view.memo.parse_file("{canary}")',
        "view.memo.model_construct()",
        "view.memo.copy(update={{}})",
        "view.memo.model_copy()",
        "view.memo.model_json_schema()",
        "view.sources[0].source.model_validate_json('{{}}')",
        "view.audience.__class__",
        "view.memo.model_fields",
        "view.cite.__func__",
        "view.memo.date.fromisoformat('2020-01-01')",
        "'x'.encode()",
        "'{{0.__class__.__mro__}}'.format(view)",
        "t.sections.bluf.format_map({{}})",
        "t.written(view.memo.date)",
    ],
)
def test_a_template_reaching_for_a_model_method_fails_and_runs_nothing(
    gadget: str, tmp_path: Path
) -> None:
    project = tmp_path / "p"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "seeds", project / "seeds")
    templates = project / "tpl"
    templates.mkdir()
    (project / "briefing.yaml").write_text("templates: tpl\n", encoding="utf-8")
    canary = tmp_path / "PWNED"
    canary.with_suffix(".json").write_text('{"secret": 1}', encoding="utf-8")
    expression = gadget.format(canary=canary)
    shipped = (ROOT / "templates" / "principal.html.j2").read_text(encoding="utf-8")
    (templates / "principal.html.j2").write_text(
        f"{{% set x = {expression} %}}{{{{ x }}}}\n{shipped}", encoding="utf-8"
    )
    result = CliRunner().invoke(
        cli,
        ["build", "--content", str(project / "content"), "--audience", "principal",
         "--format", "html", "--out", str(tmp_path / "out")],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "[B403]" in result.output
    assert "principal.html.j2:1" in result.output
    assert "Traceback" not in result.output
    assert not canary.exists()
    assert not (tmp_path / "out" / MEMO / "principal.html").exists()


def test_the_shipped_templates_still_call_what_they_need(tmp_path: Path) -> None:
    """The narrowed sandbox still renders every built-in page: memos, review and index."""
    out = str(tmp_path / "out")
    result = CliRunner().invoke(cli, ["build", "--format", "html", "--out", out, "--jobs", "1"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / MEMO / "principal.html").read_text(encoding="utf-8")
    assert "Approve" in html
