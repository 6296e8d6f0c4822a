"""Property-based: whatever YAML or text arrives, briefing answers with a message, not a crash.

Hypothesis generates whole documents and single field values and sends them through load,
validate, verify and render. The properties: no exception escapes but the library's own
ContentError, the CLI always exits 0, 1 or 2 without a traceback, and text that renders
comes out escaped.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import ContentError, Project, build
from briefing.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def relaxed(examples: int) -> settings:
    """Fixed seed (the same cases in CI as here), no per-case deadline: renders vary in speed."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(ROOT / "content", root / "content")
        shutil.copytree(ROOT / "seeds", root / "seeds")
        yield root / "content"


def _cli_check(content: Path) -> int:
    result = CliRunner().invoke(cli, ["check", "--content", str(content)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code


@relaxed(120)
@given(st.text(max_size=3000))
def test_any_text_as_a_position_file(scratch: Path, text: str) -> None:
    (scratch / "positions" / "generated.yaml").write_text(text, encoding="utf-8")
    assert _cli_check(scratch) in (0, 1)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40)
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "title",
                    "summary",
                    "thesis",
                    "pros",
                    "cons",
                    "text",
                    "evidence",
                    "source",
                    "quote",
                    "audiences",
                    "except",
                    "stances",
                ]
            )
            | st.text(max_size=10),
            inner,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@relaxed(120)
@given(documents)
def test_any_yaml_structure_as_a_position(scratch: Path, document: object) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    (scratch / "positions" / "generated.yaml").write_text(text, encoding="utf-8")
    assert _cli_check(scratch) in (0, 1)


field_text = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from(list("<>&\"'[]()*_`!#:\\\n\u202e")),
    min_size=1,
    max_size=200,
)


@relaxed(60)
@given(summary=field_text, point=field_text)
def test_any_field_value_renders_escaped_or_is_refused(
    scratch: Path, tmp_path_factory: pytest.TempPathFactory, summary: str, point: str
) -> None:
    (scratch / "positions" / "generated.yaml").unlink(missing_ok=True)
    source = (ROOT / "content" / "positions" / "status-quo.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(source)
    data["summary"] = summary
    data["pros"][0]["text"] = point
    (scratch / "positions" / "status-quo.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    out = tmp_path_factory.mktemp("out")
    project = Project.at(scratch, output=out)
    try:
        report = build(project, audiences=["staff"], formats=["html"], jobs=1)
    except ContentError as error:
        refused: ContentError | None = error
    else:
        refused = None
    if refused is not None:
        assert refused.problems, "a refusal always says why"
        return
    assert not report.failures, report.failures
    soup = BeautifulSoup((out / "taliban-policy" / "staff.html").read_text(), "html.parser")
    option = soup.find(id="option-status-quo")
    assert option is not None
    assert option.find(["script", "img", "style", "iframe"]) is None
    assert all(a["href"].startswith("#") for a in option.find_all("a"))
