"""`evalsum gold new` scaffolds an article that validates, and refuses bad input cleanly."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from harness.cli.main import cli
from harness.gold import validate_corpus


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_scaffold_copies_text_byte_for_byte(tmp_path: Path) -> None:
    source = tmp_path / "Xi meets Blinken (1).txt"
    raw = "Headline here\n\nBody with noise \u2019 and\r\nCRLF.\n".encode()
    source.write_bytes(raw)
    gold = tmp_path / "gold"
    gold.mkdir()
    code, output = invoke(
        "gold", "new", str(source), "--published", "2024-04-26", "--gold", str(gold)
    )
    assert code == 0, output
    folder = gold / "Xi-meets-Blinken-1"
    assert f"created {folder}/" in output
    # The hint can be pasted as it is: it names the same gold folder.
    assert f"then run: evalsum validate --gold {gold}" in output
    assert (folder / "article.txt").read_bytes() == raw
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["id"] == "Xi-meets-Blinken-1"
    assert meta["title"] == "Headline here"
    assert meta["published"] == "2024-04-26"
    summary = json.loads((folder / "summary.json").read_text())
    assert summary == {"participants": [], "dates": [], "claims": [], "red_lines": []}
    assert validate_corpus(gold) == (1, [])


def test_scaffold_with_explicit_id_and_refuses_overwrite(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Title\nBody\n")
    gold = tmp_path / "gold"
    gold.mkdir()
    args = ["gold", "new", str(source), "--published", "2023-06-19", "--id", "tg-001"]
    assert invoke(*args, "--gold", str(gold))[0] == 0
    assert (gold / "tg-001" / "meta.json").is_file()
    code, output = invoke(*args, "--gold", str(gold))
    assert code == 2
    assert "already exists" in output


def test_scaffold_rejects_bad_input(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(b"Caf\xe9\n")
    code, output = invoke("gold", "new", str(bad), "--published", "2024-01-01", "--gold", str(gold))
    assert code == 2 and "not UTF-8" in output and "Traceback" not in output

    good = tmp_path / "ok.txt"
    good.write_text("Title\n")
    code, output = invoke(
        "gold",
        "new",
        str(good),
        "--published",
        "2024-01-01",
        "--id",
        "bad id!",
        "--gold",
        str(gold),
    )
    assert code == 2 and "invalid id 'bad id!'" in output

    code, output = invoke(
        "gold", "new", str(good), "--published", "26/04/2024", "--gold", str(gold)
    )
    assert code == 2 and "--published" in output

    code, output = invoke("gold", "new", str(tmp_path / "missing.txt"), "--published", "2024-01-01")
    assert code == 2 and "does not exist" in output


def test_scaffold_refuses_a_missing_gold_folder(tmp_path: Path) -> None:
    """Run from the wrong folder, `gold new` must not start a second corpus in ./gold."""
    source = tmp_path / "a.txt"
    source.write_text("Title\nBody\n")
    gold = tmp_path / "nope"
    code, output = invoke(
        "gold", "new", str(source), "--published", "2024-01-01", "--gold", str(gold)
    )
    assert code == 2
    assert f"error: gold folder not found: {gold.resolve()} (pass --gold DIR)" in output
    assert not gold.exists()
