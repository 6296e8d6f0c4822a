"""Context flags end to end: `briefing check` on real projects, warnings with codes and lines,
each said once, and a reviewer's `context:` reason silencing them."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner, Result

from briefing.cli import cli

ROOT = Path(__file__).resolve().parent.parent

PASSAGE = (
    "Pressure has kept the allies together for three years. However, it has not changed the "
    "regime's conduct at all.\n\n"
    "Humanitarian aid is saving lives, while punitive policies hamstring the economy.\n\n"
    "Critics argue that engagement lends legitimacy to the regime.\n\n"
    "Talks are slow but steady. But none of this has \u202ereached\u202c the provinces.\n"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def evidence(quote: str, reason: str | None = None) -> str:
    lines = f'      - source: handmade\n        quote: "{quote}"\n'
    return lines + (f'        context: "{reason}"\n' if reason else "")


def point(text: str, *quotes: str) -> str:
    return f"  - text: {text}\n    evidence:\n" + "".join(quotes)


def project(tmp_path: Path, pros: str, cons: str, conditions: str = "") -> Path:
    """A started project with a hand-made source and a position arguing from it."""
    folder = tmp_path / "p"
    assert run("init", str(folder)).exit_code == 0
    (folder / "seeds" / "handmade.txt").write_text(PASSAGE, encoding="utf-8")
    with (folder / "content" / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(
            "\n  - id: handmade\n    title: A Hand-Made Passage\n    seed: handmade.txt\n"
        )
    position = (
        "title: Keep up the pressure\nsummary: One line.\nthesis: Two sentences.\n"
        f"pros:\n{pros}cons:\n{cons}" + (f"conditions:\n{conditions}" if conditions else "")
    )
    (folder / "content" / "positions" / "pressure.yaml").write_text(position, encoding="utf-8")
    return folder / "content"


def test_check_warns_each_flag_with_its_code_and_line(tmp_path: Path) -> None:
    content = project(
        tmp_path,
        pros=point(
            "Pressure keeps the allies together.",
            evidence("Pressure has kept the allies together for three years."),
        )
        + point("Aid saves lives.", evidence("Humanitarian aid is saving lives")),
        cons=point(
            "Engagement would lend the regime legitimacy.",
            evidence("engagement lends legitimacy to the regime"),
        ),
    )
    result = run("check", "--content", str(content))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    file = "positions/pressure.yaml"
    assert any(f"{file}:8:16: [W301]" in line and "However, it has not" in line for line in lines)
    assert any(f"{file}:12:16: [W303]" in line and "while punitive" in line for line in lines)
    assert any(f"{file}:17:16: [W304]" in line and "Critics argue" in line for line in lines)
    assert "[W302]" not in result.output
    assert "[W305]" not in result.output
    assert "context: 3 flag(s) raised, 0 silenced" in result.output
    warned = [line for line in lines if line.startswith("warning:") and "[W30" in line]
    assert len(warned) == len(set(warned)) == 3, "each flag said once"


def test_a_reason_silences_its_flag_and_a_reason_for_nothing_is_warned(tmp_path: Path) -> None:
    content = project(
        tmp_path,
        pros=point(
            "Pressure keeps the allies together.",
            evidence(
                "Pressure has kept the allies together for three years.",
                "W301: the claim is about unity, which the next sentence does not dispute",
            ),
        )
        + point(
            "Aid saves lives.",
            evidence("Humanitarian aid is saving lives", "W301: not the flag raised here"),
        ),
        cons=point(
            "Critics say engagement would lend the regime legitimacy.",
            evidence("engagement lends legitimacy to the regime", "said to be the critics' view"),
        ),
    )
    result = run("check", "--content", str(content))
    assert result.exit_code == 0, result.output
    assert "[W301]" not in result.output
    assert "[W303]" in result.output, "a reason naming another code leaves the flag"
    assert "pressure.yaml:14:18: [W307] this reason silences nothing: it names W301" in (
        result.output
    )
    assert "pressure.yaml:20:18: [W307] this reason silences nothing: no context flag" in (
        result.output
    )
    assert "context: 2 flag(s) raised, 1 silenced with a reason" in result.output


def test_a_claim_that_presents_its_quotation_as_a_concession_is_not_flagged(
    tmp_path: Path,
) -> None:
    unity = evidence("Pressure has kept the allies together for three years.")
    content = project(
        tmp_path,
        pros=point("Even its critics concede that pressure has kept allies together.", unity),
        cons=point("Pressure has kept the allies together.", unity),
    )
    result = run("check", "--content", str(content))
    flagged = [line for line in result.output.splitlines() if "[W301]" in line]
    assert len(flagged) == 1
    assert "pressure.yaml:13:16: [W301]" in flagged[0], "the con, which does not concede"


def test_one_passage_for_and_against_the_option_is_said_once(tmp_path: Path) -> None:
    quote = evidence("Humanitarian aid is saving lives, while punitive policies hamstring")
    content = project(
        tmp_path,
        pros=point("Aid saves lives.", quote) + point("Aid keeps people alive.", quote),
        cons=point("Pressure hurts the economy.", quote),
        conditions=point("Aid must go on.", quote),
    )
    result = run("check", "--content", str(content))
    assert result.exit_code == 0, result.output
    both = [line for line in result.output.splitlines() if "[W305]" in line]
    assert len(both) == 1, "once, at the con, however many pros share the passage"
    assert "pressure.yaml:17:16: [W305]" in both[0]
    assert "cited for this option, at pros[0] (line 8) and 1 more" in both[0]


def test_source_text_quoted_in_a_warning_is_escaped(tmp_path: Path) -> None:
    content = project(
        tmp_path,
        pros=point("Talks are steady.", evidence("Talks are slow but steady.")),
        cons=point("Aid saves lives.", evidence("Humanitarian aid is saving lives")),
    )
    result = run("check", "--content", str(content))
    assert "[W301] the source's next sentence turns against it" in result.output
    assert "\u202e" not in result.output
    assert "has <U+202E>reached<U+202C> the provinces" in result.output


def test_shipped_content_answers_its_flags_and_reports_the_age_of_its_evidence() -> None:
    result = run("check", "--content", str(ROOT / "content"))
    assert result.exit_code == 0, result.output
    assert "[W30" not in result.output, "each context flag is fixed or silenced with a reason"
    assert re.search(r"context: (\d+) flag\(s\) raised, \1 silenced with a reason", result.output)
    assert "taliban-policy.yaml:6:7: [W310]" in result.output


def test_a_first_step_of_the_recommendation_is_read_in_context(tmp_path: Path) -> None:
    """An action that cites a source is a claim like the others: its quotation is placed in
    its sentences, flagged at the memo's line, and listed in the review edition."""
    content = project(tmp_path, pros="", cons="")
    (content / "positions" / "pressure.yaml").unlink()
    memo = content / "memos" / "congestion.yaml"
    text = memo.read_text(encoding="utf-8")
    step = (
        "  actions:\n"
        "    - text: Keep the allies together while the charge is phased in.\n"
        "      owner: Transport Policy Unit\n"
        "      evidence:\n"
        '        - source: handmade\n          quote: "Pressure has kept the allies together'
        ' for three years."\n'
    )
    memo.write_text(text.replace("  decide_by: 2026-12-15\n", f"  decide_by: 2026-12-15\n{step}"))
    line = next(
        n
        for n, row in enumerate(memo.read_text().splitlines(), start=1)
        if "quote: " in row and "allies" in row
    )
    result = run("check", "--content", str(content))
    assert result.exit_code == 0, result.output
    assert f"memos/congestion.yaml:{line}:18: [W301]" in result.output
    out = tmp_path / "out"
    result = run("review", "--content", str(content), "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.output
    page = (out / "review" / "congestion.html").read_text(encoding="utf-8")
    assert "Keep the allies together while the charge is phased in." in page
    assert "what the recommendation sets in motion" in page


def test_build_says_the_flags_too_and_a_rebuild_repeats_them(tmp_path: Path) -> None:
    """An analyst who only builds still hears of a quotation cut before "However"."""
    content = project(
        tmp_path,
        pros=point(
            "Pressure keeps the allies together.",
            evidence("Pressure has kept the allies together for three years."),
        ),
        cons=point("Aid saves lives.", evidence("Humanitarian aid is saving lives", "W303: ok")),
    )
    args = ["build", "--content", str(content), "--format", "html", "--out", str(tmp_path / "o")]
    for round_ in ("built", "up to date"):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert ("0 built," in result.output) == (round_ == "up to date"), result.output
        warned = [line for line in result.output.splitlines() if "[W30" in line]
        assert len(warned) == 1, (round_, warned)
        assert "positions/pressure.yaml:8:16: [W301]" in warned[0]
