"""`evalsum gold draft`: a model's draft, written for an annotator, never over gold, refused by
validate until a person clears its mark."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli.main import cli
from tests.conftest import ARTICLE_TEXT, ArticleFactory
from tests.support import fake_openai as fake
from tests.support.fake_openai import FakeOpenAI
from tests.support.network import guard_loopback

DRAFTED = {
    "participants": [
        {
            "name": "Jane Roe",
            "aliases": ["Ms Roe"],
            "kind": "person",
            "role": "Foreign Minister",
            "affiliation": None,
        }
    ],
    "dates": [],
    "claims": [
        {
            "speaker": "Jane Roe",
            "claim": "a blockade of the strait will never be accepted",
            "quote": "We will never accept a blockade of the strait",
        }
    ],
    "red_lines": [],
}


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    guard_loopback(monkeypatch)


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def _scaffold(tmp_path: Path) -> Path:
    source = tmp_path / "talks.txt"
    source.write_text(ARTICLE_TEXT, encoding="utf-8")
    gold = tmp_path / "gold"
    gold.mkdir()
    code, output = _invoke(
        "gold",
        "new",
        str(source),
        "--published",
        "2024-06-03",
        "--id",
        "talks",
        "--gold",
        str(gold),
    )
    assert code == 0, output
    return gold


def _draft(gold: Path, server: FakeOpenAI, tmp_path: Path, *more: str) -> tuple[int, str]:
    return _invoke(
        "gold", "draft", "talks", "--model", "openai/fake-model", "--api-base", server.base_url,
        "--gold", str(gold), "--cache-dir", str(tmp_path / "cache"), "--retries", "0", *more,
    )  # fmt: skip


def test_a_draft_is_written_marked_and_refused_until_reviewed(tmp_path: Path) -> None:
    gold = _scaffold(tmp_path)
    with FakeOpenAI() as server:
        server.push(fake.ok(json.dumps(DRAFTED)))
        code, output = _draft(gold, server, tmp_path)
        assert code == 0, output
        assert "1 participants, 0 dates, 1 claims, 0 red_lines" in output
        assert f"then run: evalsum validate --gold {gold}" in output
        # Asked through the normal provider layer, with the run's prompt and schema.
        assert "Extract the structured summary" in json.dumps(server.requests[0])
        folder = gold / "talks"
        assert json.loads((folder / "summary.json").read_text()) == DRAFTED
        mark = json.loads((folder / "DRAFT").read_text())
        assert mark["model"] == "openai/fake-model"
        code, output = _invoke("validate", "--gold", str(gold))
        assert code == 1 and "a model's draft that no one has reviewed" in output
        # A second draft would throw away the annotator's corrections: only with --force,
        # and then the cached answer serves it.
        code, output = _draft(gold, server, tmp_path)
        assert code == 2 and "already a draft" in output
        code, output = _draft(gold, server, tmp_path, "--force")
        assert code == 0 and "from the cache" in output
        assert len(server.requests) == 1
    (folder / "DRAFT").unlink()
    code, output = _invoke("validate", "--gold", str(gold))
    assert code == 0, output


def test_a_draft_never_overwrites_annotated_gold(
    make_article: ArticleFactory, tmp_path: Path
) -> None:
    folder = make_article("talks")
    before = (folder / "summary.json").read_bytes()
    with FakeOpenAI() as server:
        code, output = _draft(folder.parent, server, tmp_path)
        assert code == 2, output
        assert "is annotated: a draft never overwrites gold" in output
        assert server.requests == []
    assert (folder / "summary.json").read_bytes() == before
    assert not (folder / "DRAFT").exists()


def test_an_unusable_answer_writes_nothing(tmp_path: Path) -> None:
    gold = _scaffold(tmp_path)
    before = (gold / "talks" / "summary.json").read_bytes()
    with FakeOpenAI() as server:
        server.push(fake.ok("I cannot summarise this."))
        code, output = _draft(gold, server, tmp_path)
    assert code == 2 and "gave no usable summary" in output and "Traceback" not in output
    assert (gold / "talks" / "summary.json").read_bytes() == before
    assert not (gold / "talks" / "DRAFT").exists()


def test_an_unknown_article_says_how_to_scaffold_it(tmp_path: Path) -> None:
    gold = _scaffold(tmp_path)
    code, output = _invoke("gold", "draft", "nope", "--model", "mock/oracle", "--gold", str(gold))
    assert code == 2 and "no article folder" in output and "evalsum gold new" in output
