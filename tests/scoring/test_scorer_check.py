"""`evalsum scorer-check`: evalsum's decisions against a person's alignment, unit by unit."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from harness.cli.main import cli
from harness.metaeval import check_case, load_set, summarise
from harness.metaeval.alignment import sha256_file
from tests.conftest import SUMMARY, ArticleFactory


def _answer() -> dict[str, Any]:
    answer = copy.deepcopy(SUMMARY)
    # A paraphrase the reader pairs with gold claim 1 ("talks will continue next month").
    answer["claims"][1]["claim"] = "negotiations go on in the coming weeks"
    # An invented claim nobody pairs.
    answer["claims"].append(
        {"speaker": "Jane Roe", "claim": "the strait will be mined", "quote": None}
    )
    return answer


def _aligned(folder: Path, set_dir: Path, style: str, answer: dict, fields: dict) -> Path:
    case = set_dir / folder.name
    case.mkdir(parents=True, exist_ok=True)
    path = case / f"{style}.json"
    path.write_text(json.dumps(answer, indent=2))
    alignment = {
        "answer_sha256": sha256_file(path),
        "gold_sha256": sha256_file(folder / "summary.json"),
        "aligned_at": "2026-12-02T18:00:00Z",
        "aligned_by": "a test",
        "fields": fields,
    }
    (case / f"{style}.align.json").write_text(json.dumps(alignment, indent=2))
    return path


def _identity(answer: dict, claims: list[dict]) -> dict:
    fields = {
        name: [{"pred": i, "gold": i} for i in range(len(answer[name]))]
        for name in ("participants", "dates", "red_lines")
    }
    return {**fields, "claims": claims}


def test_each_decision_is_compared_and_disagreements_carry_the_scorers_reason(
    make_article: ArticleFactory, tmp_path: Path
) -> None:
    folder = make_article()
    set_dir = tmp_path / "meta-eval"
    answer = _answer()
    claims = [{"pred": 0, "gold": 0}, {"pred": 1, "gold": 1}, {"pred": 2, "gold": None}]
    _aligned(folder, set_dir, "careful", answer, _identity(answer, claims))
    (case,) = load_set(set_dir, folder.parent)
    checked = check_case(case)
    # The reader pairs the paraphrase; word overlap cannot: one missed match.
    claims_check = checked.fields["claims"]
    assert (claims_check.units, claims_check.agree, claims_check.missed_match) == (3, 2, 1)
    (miss,) = checked.disagreements
    assert (miss.field, miss.outcome, miss.pred, miss.human_gold) == (
        "claims",
        "missed_match",
        1,
        1,
    )
    assert miss.evalsum_reason and miss.pred_text.startswith("John Doe: negotiations")
    assert checked.human_f1["claims"] == 2 * 2 / (3 + 2)
    assert checked.evalsum_f1["claims"] < checked.human_f1["claims"]
    assert checked.fields["participants"].agreement == 1.0
    result = summarise([checked])
    assert result.fields["claims"].missed_match == 1
    assert any("claims: 66.7% of decisions agree" in f for f in result.failures)


def test_the_command_prints_the_table_writes_json_and_can_gate(
    make_article: ArticleFactory, tmp_path: Path
) -> None:
    folder = make_article()
    set_dir = tmp_path / "meta-eval"
    answer = copy.deepcopy(SUMMARY)
    claims = [{"pred": i, "gold": i} for i in range(len(answer["claims"]))]
    _aligned(folder, set_dir, "oracle", answer, _identity(answer, claims))
    out = tmp_path / "check.json"
    args = ["scorer-check", "--set", str(set_dir), "--gold", str(folder.parent), "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--fail-under-floors"])
    assert result.exit_code == 0, result.output
    assert "floors: met" in result.output and "claims" in result.output
    assert json.loads(out.read_text())["fields"]["claims"]["agreement"] == 1.0
    _aligned(folder, set_dir, "careful", _answer(), _identity(_answer(), [
        {"pred": 0, "gold": 0}, {"pred": 1, "gold": 1}, {"pred": 2, "gold": None},
    ]))  # fmt: skip
    result = CliRunner().invoke(cli, [*args, "--fail-under-floors"])
    assert result.exit_code == 1 and "not met" in result.output


def test_a_stale_or_malformed_alignment_is_a_clear_error(
    make_article: ArticleFactory, tmp_path: Path
) -> None:
    folder = make_article()
    set_dir = tmp_path / "meta-eval"
    answer = copy.deepcopy(SUMMARY)
    claims = [{"pred": 0, "gold": 0}]  # prediction 1 left out
    path = _aligned(folder, set_dir, "terse", answer, _identity(answer, claims))
    args = ["scorer-check", "--set", str(set_dir), "--gold", str(folder.parent)]
    result = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "c.json")])
    assert result.exit_code == 2
    assert "terse.align.json: $.fields.claims: predicted indices [0] must be each of 0..1" in (
        result.output
    )
    path.write_text(json.dumps(answer))  # the answer changed after it was aligned
    result = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "c.json")])
    assert result.exit_code == 2 and "changed since it was aligned" in result.output


def test_the_committed_set_meets_the_agreement_floor() -> None:
    """Every field of the committed meta-evaluation set: at least 97% of the scorer's
    decisions agree with the hand alignment (a scoring change that breaks this must be
    re-measured on the whole set, see the README)."""
    from tests.conftest import CORPUS, REPO

    cases = load_set(REPO / "meta-eval", CORPUS)
    assert len(cases) >= 36 and not [c for c in cases if c.gold_changed]
    result = summarise([check_case(c) for c in cases])
    for name, field in result.fields.items():
        assert field.agreement is not None and field.agreement >= 0.97, (name, field)
