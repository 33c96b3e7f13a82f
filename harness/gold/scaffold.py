"""`evalsum gold new`: start a new gold article from a text file."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

from harness.errors import InputError
from harness.gold.corpus import META_FILE, SUMMARY_FILE, TEXT_FILE, read_text
from harness.gold.problems import GoldError, gold_not_found
from harness.summary import ARTICLE_ID, ArticleMeta, Summary

_ID_RE = re.compile(ARTICLE_ID)


def derive_id(source: Path) -> str:
    """A valid id from a file name: 'Xi meets Blinken (1).txt' -> 'Xi-meets-Blinken-1'."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", source.stem).strip("-.")
    return stem[:128] or "article"


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def dump_json(model_data: dict) -> str:
    return json.dumps(model_data, indent=2, ensure_ascii=False) + "\n"


def scaffold_article(
    source: Path,
    gold_dir: Path,
    published: dt.date,
    article_id: str | None = None,
    *,
    title: str | None = None,
    publisher: str | None = None,
) -> Path:
    """Create gold/<id>/ with the text copied byte for byte, metadata and an empty summary.

    `gold_dir` must exist: run from the wrong folder, creating ./gold would silently start a
    second corpus (`evalsum init` lays out a new one)."""
    if not gold_dir.is_dir():
        raise gold_not_found(gold_dir)
    try:
        text = read_text(source)
    except GoldError as exc:
        raise InputError(str(exc)) from None
    article_id = article_id or derive_id(source)
    if not _ID_RE.match(article_id):
        raise InputError(
            f"invalid id {article_id!r}: use letters, digits, '_', '.' or '-' "
            "(starting with a letter or digit, at most 128 characters)"
        )
    folder = gold_dir / article_id
    if folder.exists():
        raise InputError(
            f"{folder} already exists", hint="choose another --id or remove the folder first"
        )
    meta = ArticleMeta(
        id=article_id,
        title=title or first_line(text) or article_id,
        publisher=publisher or "unknown",
        published=published,
        source=str(source),
    )
    folder.mkdir()
    shutil.copyfile(source, folder / TEXT_FILE)
    (folder / META_FILE).write_text(dump_json(meta.model_dump(mode="json")), encoding="utf-8")
    (folder / SUMMARY_FILE).write_text(
        dump_json(Summary().model_dump(mode="json")), encoding="utf-8"
    )
    return folder


__all__ = ["derive_id", "scaffold_article"]
