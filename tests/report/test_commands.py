"""`evalsum score`, `evalsum report` and `evalsum compare` on real run folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from harness import schemas
from harness.cli.main import cli
from harness.report.compare import VERDICTS
from tests.conftest import GOLD, REPO
from tests.reliability.helpers import replicate_gold


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def evalsum(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def last_line(output: str) -> Path:
    return Path([line for line in output.splitlines() if line.strip()][-1])


def make_run(tmp_path: Path, model: str, *extra: str) -> Path:
    code, output = evalsum("run", "--model", model, "--out", str(tmp_path / "runs"), *extra)
    assert code in (0, 1), output
    return last_line(output)


def test_noisy_report_validates_against_the_published_schema(tmp_path: Path) -> None:
    folder = make_run(tmp_path, "mock/noisy", "--mock-noise-rate", "0.8", "--samples", "2")
    data = json.loads((folder / "report.json").read_text())
    jsonschema.validate(data, schemas.load("report.schema.json"))
    assert set(data) >= {
        "schema_version",
        "run",
        "fields",
        "overall",
        "grounding",
        "articles",
        "errors",
        "usage",
    }
    run = data["run"]
    for key in (
        "model",
        "api_base",
        "prompt",
        "parameters",
        "gold",
        "evalsum_version",
        "litellm_version",
        "seed",
        "started_at",
        "finished_at",
        "command_line",
    ):
        assert key in run
    field = data["fields"]["claims"]
    assert set(field["micro"]) >= {"precision", "recall", "f1", "soft_f1"}
    assert set(field["macro"]) >= {"precision", "recall", "f1", "soft_f1"}


def test_score_external_predictions(tmp_path: Path) -> None:
    preds = tmp_path / "preds"
    preds.mkdir()
    ids = sorted(p.name for p in GOLD.iterdir() if p.is_dir())
    shutil.copy(GOLD / ids[0] / "summary.json", preds / f"{ids[0]}.json")
    (preds / "stray.json").write_text("{}")
    code, output = evalsum("score", "--predictions", str(preds), "--out", str(tmp_path / "out"))
    assert code == 1, output  # a missing prediction and a stray file are findings
    assert "stray.json: no gold article 'stray'" in output
    report = json.loads((last_line(output) / "report.json").read_text())
    by_id = {a["article_id"]: a for a in report["articles"]}
    assert by_id[ids[0]]["overall"]["mean"] == 1.0
    assert by_id[ids[1]]["samples"][0]["status"] == "missing"
    assert by_id[ids[1]]["overall"]["mean"] == 0.0


def test_report_rescoring_from_the_journal(tmp_path: Path) -> None:
    folder = make_run(tmp_path, "mock/oracle")
    before = json.loads((folder / "report.json").read_text())
    (folder / "report.json").unlink()
    code, output = evalsum("report", str(folder))
    assert code == 0, output
    after = json.loads((folder / "report.json").read_text())
    assert after["overall"] == before["overall"]
    assert after["fields"] == before["fields"]


def test_report_with_changed_gold_warns(tmp_path: Path) -> None:
    folder = make_run(tmp_path, "mock/oracle")
    gold = tmp_path / "gold"
    shutil.copytree(GOLD, gold)
    first = sorted(p for p in gold.iterdir() if p.is_dir())[0]
    summary = json.loads((first / "summary.json").read_text())
    summary["dates"] = summary["dates"][1:]
    (first / "summary.json").write_text(json.dumps(summary))
    code, output = evalsum("report", str(folder), "--gold", str(gold))
    assert code == 0, output
    assert "warning: gold in" in output
    report = json.loads((folder / "report.json").read_text())
    assert report["fields"]["dates"]["micro"]["precision"] < 1.0


def printed_verdicts(output: str) -> dict[str, str]:
    """field -> the one verdict its table row ends with (exactly one per row)."""
    rows = {}
    for line in output.splitlines():
        name = line.split(" ", 1)[0]
        if name in ("participants", "dates", "claims", "red_lines") and "/" in line:
            found = [v for v in VERDICTS if line.endswith("  " + v)]
            assert len(found) == 1, line
            assert sum(line.count(v) for v in VERDICTS) == 1, line
            rows[name] = found[0]
    assert len(rows) == 4, output
    return rows


def test_compare_oracle_and_noisy_in_both_directions(tmp_path: Path) -> None:
    oracle = make_run(tmp_path, "mock/oracle")
    noisy = make_run(tmp_path, "mock/noisy", "--mock-noise-rate", "0.9")
    out = tmp_path / "cmp"
    code, output = evalsum(
        "compare", str(oracle), str(noisy), "--out", str(out), "--fail-on-regression"
    )
    assert code == 1, output
    assert "descriptive only" in output
    result = json.loads((out / "compare.json").read_text())
    jsonschema.validate(result, schemas.load("compare.schema.json"))
    assert result["regression"] is True
    assert all(f["delta_f1"] <= 0 for f in result["fields"])
    assert result["overall"]["delta"] < 0
    assert all(f["significant"] is None for f in result["fields"])
    # Too few articles to confirm anything: a drop beyond the threshold is gated, but it is
    # never called "regressed", which would contradict "no difference is called significant".
    verdicts = printed_verdicts(output)
    assert verdicts == {f["field"]: f["verdict"] for f in result["fields"]}
    for f in result["fields"]:
        expected = "drop not confirmed" if f["delta_f1"] < -0.01 else "no change"
        assert f["verdict"] == expected
    gated = [f["field"] for f in result["fields"] if f["regression"]]
    assert gated and result["gated_fields"] == gated
    named = ", ".join(f"{name} (drop not confirmed)" for name in gated)
    assert f"--fail-on-regression fails on {named}" in output

    code, output = evalsum(
        "compare", str(noisy), str(oracle), "--out", str(out), "--fail-on-regression"
    )
    assert code == 0, output
    result = json.loads((out / "compare.json").read_text())
    assert result["gated_fields"] == []
    assert set(printed_verdicts(output).values()) <= {"gain not confirmed", "no change"}
    assert "--fail-on-regression passes" in output

    code, output = evalsum("compare", str(oracle), str(oracle), "--out", str(out))
    assert code == 0
    result = json.loads((out / "compare.json").read_text())
    assert all(f["delta_f1"] == 0 and f["ties"] == 2 for f in result["fields"])


def test_compare_lists_unpaired_articles_and_warns_on_gold(tmp_path: Path) -> None:
    ids = sorted(p.name for p in GOLD.iterdir() if p.is_dir())
    full = make_run(tmp_path, "mock/oracle")
    part = make_run(tmp_path, "mock/oracle", "--articles", ids[0])
    report = json.loads((part / "report.json").read_text())
    report["run"]["gold"]["sha256"] = "0" * 64
    (part / "report.json").write_text(json.dumps(report))
    code, output = evalsum("compare", str(full), str(part), "--out", str(tmp_path / "c"))
    assert code == 0, output
    assert "different gold" in output
    result = json.loads((tmp_path / "c" / "compare.json").read_text())
    assert result["unpaired"]["only_a"] == [f"{ids[1]}:0"]
    assert result["paired_articles"] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"hello": 1}', "not an evalsum report"),
        ('{"schema_version": 99, "run": {}}', "newer than this evalsum"),
        ('{"schema_version": 1, "run": {}}', "does not match report.schema.json"),
    ],
)
def test_compare_refuses_what_is_not_a_report(tmp_path: Path, content: str, message: str) -> None:
    good = make_run(tmp_path, "mock/oracle")
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    code, output = evalsum("compare", str(good), str(bad), "--out", str(tmp_path / "c"))
    assert code == 2
    assert message in output
    assert "Traceback" not in output


def test_fail_under_gates_the_run(tmp_path: Path) -> None:
    code, output = evalsum(
        "run", "--model", "mock/oracle", "--out", str(tmp_path), "--fail-under", "0.99"
    )
    assert code == 0, output
    code, output = evalsum(
        "run",
        "--model",
        "mock/noisy",
        "--mock-noise-rate",
        "0.9",
        "--out",
        str(tmp_path),
        "--fail-under",
        "0.99",
    )
    assert code == 1
    assert "below --fail-under 0.99" in output


def test_junit_has_one_case_per_article(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    junit = tmp_path / "junit.xml"
    code, output = evalsum(
        "run",
        "--model",
        "mock/oracle",
        "--out",
        str(tmp_path),
        "--mock-malformed-rate",
        "1.0",
        "--junit",
        str(junit),
    )
    assert code == 0, output
    suite = ET.parse(junit).getroot()
    ids = sorted(p.name for p in GOLD.iterdir() if p.is_dir())
    assert [c.get("name") for c in suite.iter("testcase")] == ids
    assert suite.get("failures") == str(len(ids))
    assert all(c.find("failure") is not None for c in suite.iter("testcase"))

    code, output = evalsum(
        "run", "--model", "mock/oracle", "--out", str(tmp_path), "--junit", str(junit)
    )
    suite = ET.parse(junit).getroot()
    assert suite.get("failures") == "0"


def test_intervals_and_inference_with_enough_articles(tmp_path: Path) -> None:
    gold = replicate_gold(tmp_path / "gold", 6)
    oracle = make_run(tmp_path, "mock/oracle", "--gold", str(gold))
    noisy = make_run(tmp_path, "mock/noisy", "--gold", str(gold), "--mock-noise-rate", "0.9")
    report = json.loads((noisy / "report.json").read_text())
    assert len(report["articles"]) == 6
    for field in report["fields"].values():
        ci = field["f1_ci"]
        assert ci is not None
        assert ci["low"] <= field["micro"]["f1"] <= ci["high"]
    code, output = evalsum("compare", str(oracle), str(noisy), "--out", str(tmp_path / "c"))
    assert code == 0, output
    result = json.loads((tmp_path / "c" / "compare.json").read_text())
    assert result["descriptive_only"] is False
    assert "descriptive only" not in output
    dates = next(f for f in result["fields"] if f["field"] == "dates")
    assert dates["significant"] is (dates["ci"]["high"] < 0)
    # With enough articles a confirmed drop is "regressed", one the interval does not confirm
    # is not; the printed verdicts are compare.json's.
    assert printed_verdicts(output) == {f["field"]: f["verdict"] for f in result["fields"]}
    for f in result["fields"]:
        if f["significant"] and f["delta_f1"] < 0:
            assert f["verdict"] == "regressed"
        elif f["delta_f1"] < -0.01:
            assert f["verdict"] == "drop not confirmed"
        assert (f["verdict"] in ("regressed", "drop not confirmed")) is f["regression"]
    assert "regressed" in printed_verdicts(output).values()
    small = json.loads((make_run(tmp_path, "mock/oracle") / "report.json").read_text())
    assert all(f["f1_ci"] is None for f in small["fields"].values())


@pytest.mark.parametrize(
    ("delta", "significant", "paired", "expected"),
    [
        (-0.2, True, 10, "regressed"),
        (-0.005, True, 10, "regressed"),  # confirmed, though within the threshold: gated today
        (-0.2, False, 10, "drop not confirmed"),
        (-0.2, None, 2, "drop not confirmed"),
        (-0.005, False, 10, "no change"),
        (0.2, True, 10, "improved"),
        (0.2, None, 2, "gain not confirmed"),
        (0.0, None, 0, "cannot tell"),
    ],
)
def test_verdicts_follow_the_gate(
    delta: float, significant: bool | None, paired: int, expected: str
) -> None:
    from harness.report.compare import verdict

    # The gating rule as compare_reports applies it.
    regression = delta < -0.01 or (significant is True and delta < 0)
    assert verdict(delta, significant, regression, 0.01, paired) == expected
