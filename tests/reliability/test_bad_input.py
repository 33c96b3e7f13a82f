"""The bad-input catalogue: each case gets a specific message, a documented exit code and no
traceback. The ids of these tests are the catalogue the README's exit codes refer to."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from harness.cli.main import cli
from tests.conftest import REPO, SUMMARY, ArticleFactory


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def evalsum(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def assert_clean(code: int, output: str, expected_code: int, *fragments: str) -> None:
    assert code == expected_code, output
    for fragment in fragments:
        assert fragment in output, output
    assert "Traceback" not in output


def run_on(gold: Path, tmp_path: Path, *extra: str) -> tuple[int, str]:
    return evalsum(
        "run", "--model", "mock/oracle", "--gold", str(gold), "--out", str(tmp_path / "out"), *extra
    )


# --- gold ------------------------------------------------------------------------------------


def test_gold_invalid_json(make_article: ArticleFactory, tmp_path: Path) -> None:
    folder = make_article()
    (folder / "summary.json").write_text('{"participants": [}')
    code, out = run_on(folder.parent, tmp_path)
    assert_clean(code, out, 2, f"{folder / 'summary.json'}: $: invalid JSON at line 1")


def test_gold_schema_violation(make_article: ArticleFactory, tmp_path: Path) -> None:
    summary = copy.deepcopy(SUMMARY)
    summary["dates"][0]["date"] = "26 April"
    folder = make_article(summary=summary)
    code, out = run_on(folder.parent, tmp_path)
    assert_clean(code, out, 2, f"{folder / 'summary.json'}: $.dates[0].date:", "does not match")


def test_gold_missing_article_text(make_article: ArticleFactory, tmp_path: Path) -> None:
    folder = make_article()
    (folder / "article.txt").unlink()
    code, out = run_on(folder.parent, tmp_path)
    assert_clean(code, out, 2, f"{folder / 'article.txt'}: $: missing article text")


def test_gold_non_utf8_text(make_article: ArticleFactory, tmp_path: Path) -> None:
    folder = make_article(text=b"Caf\xe9 diplomacy\n")
    code, out = run_on(folder.parent, tmp_path)
    assert_clean(code, out, 2, "article.txt: $: not UTF-8", "re-save the file as UTF-8")


def test_gold_empty_article(make_article: ArticleFactory, tmp_path: Path) -> None:
    folder = make_article(text="\n \n")
    code, out = run_on(folder.parent, tmp_path)
    assert_clean(code, out, 2, "article.txt: $: article text is empty")


def test_gold_duplicate_ids(make_article: ArticleFactory, tmp_path: Path) -> None:
    make_article("one", meta={"id": "dup"})
    make_article("two", meta={"id": "dup"})
    code, out = run_on(tmp_path / "gold", tmp_path)
    assert_clean(code, out, 2, "one/meta.json: $.id: id 'dup' does not match its folder name")
    code, out = evalsum("validate", "--gold", str(tmp_path / "gold"))
    assert_clean(code, out, 1, "duplicate id 'dup'")


def test_gold_folder_missing(tmp_path: Path) -> None:
    code, out = run_on(tmp_path / "nope", tmp_path)
    assert_clean(code, out, 2, "gold folder not found")


# --- prompts ---------------------------------------------------------------------------------


def test_prompt_missing_file(tmp_path: Path) -> None:
    code, out = evalsum("run", "--prompt", "v99", "--out", str(tmp_path))
    assert_clean(code, out, 2, "prompt 'v99' not found", "available: v1, v2")


def test_prompt_unknown_variable(tmp_path: Path) -> None:
    prompt = tmp_path / "bad.prompt"
    prompt.write_text("--- user\n{{article}}\n{{artcle_title}}\n")
    code, out = evalsum("run", "--prompt", str(prompt), "--out", str(tmp_path / "o"))
    assert_clean(code, out, 2, f"{prompt}:3: unknown template variable {{{{artcle_title}}}}")
    assert not (tmp_path / "o").exists(), "nothing runs before the template is valid"


# --- command line ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("gpt4", "model 'gpt4' has no provider prefix"),
        ("nosuch/model", "unknown provider 'nosuch' in model 'nosuch/model'"),
        ("mock/unknown", "mock"),
    ],
)
def test_unknown_model_string(tmp_path: Path, model: str, message: str) -> None:
    code, out = evalsum("run", "--model", model, "--out", str(tmp_path))
    assert_clean(code, out, 2, message)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--samples", "0"),
        ("--temperature", "5"),
        ("--concurrency", "0"),
        ("--timeout", "-1"),
        ("--mock-error-rate", "1.5"),
        ("--max-cost", "0"),
    ],
)
def test_unknown_option_values(tmp_path: Path, option: str, value: str) -> None:
    code, out = evalsum("run", option, value, "--out", str(tmp_path))
    assert_clean(code, out, 2, f"Invalid value for '{option}'")


def test_missing_api_key(tmp_path: Path) -> None:
    code, out = evalsum("run", "--model", "openai/gpt-4o-mini", "--out", str(tmp_path))
    assert_clean(code, out, 2, "OPENAI_API_KEY")


def test_unwritable_output_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, out = evalsum("run", "--model", "mock/oracle", "--out", str(blocker / "reports"))
    assert_clean(code, out, 2, "cannot create the run folder", "Not a directory")


def test_resume_of_a_folder_that_is_not_a_run(tmp_path: Path) -> None:
    code, out = evalsum("run", "--resume", str(tmp_path))
    assert_clean(code, out, 2, "is not an evalsum run folder (no run.json)")


def test_replay_without_a_cassette(tmp_path: Path) -> None:
    code, out = evalsum("run", "--model", "mock/replay", "--out", str(tmp_path))
    assert_clean(code, out, 2, "mock/replay needs a cassette", "--record FILE")
    code, out = evalsum(
        "run",
        "--model",
        "mock/replay",
        "--cassette",
        str(tmp_path / "x.jsonl"),
        "--out",
        str(tmp_path),
    )
    assert_clean(code, out, 2, "cassette not found")


def test_unknown_article_id(tmp_path: Path) -> None:
    code, out = evalsum("run", "--articles", "nope", "--out", str(tmp_path))
    assert_clean(code, out, 2, "no article with id 'nope'")


def test_debug_flag_shows_the_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--debug", "run", "--articles", "nope", "--out", str(tmp_path)]
    )
    assert result.exit_code != 0
    assert result.exception is not None  # raised, so a traceback is printed


# --- reports ---------------------------------------------------------------------------------


def _report(tmp_path: Path) -> Path:
    code, out = evalsum("run", "--model", "mock/oracle", "--out", str(tmp_path / "runs"))
    assert code == 0, out
    return Path(out.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2]", "not an evalsum report"),
        ("", "not valid JSON"),
        ('{"schema_version": 1, "run": 3}', "does not match report.schema.json"),
    ],
)
def test_compare_of_a_non_report(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    code, out = evalsum("compare", str(_report(tmp_path)), str(bad), "--out", str(tmp_path / "c"))
    assert_clean(code, out, 2, f"{bad}", message)


def test_compare_of_reports_with_different_gold(tmp_path: Path) -> None:
    a = _report(tmp_path)
    data: dict[str, Any] = json.loads((a / "report.json").read_text())
    data["run"]["gold"]["sha256"] = "f" * 64
    b = tmp_path / "other.json"
    b.write_text(json.dumps(data))
    code, out = evalsum("compare", str(a), str(b), "--out", str(tmp_path / "c"))
    assert_clean(code, out, 0, "warning: the reports were scored on different gold")
