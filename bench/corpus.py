"""The synthetic corpus: N articles made by replicating the gold articles under new ids.

Replica k of gold article `<id>` is `<tmp>/gold/<id>-r<k>/`, with meta.json's id rewritten and
a last line "Replica k." appended to article.txt. The line keeps every replica's text unique,
so each one is its own request (its own cache key) and the mock answers, and grounding checks,
against the replica's own text. The gold summary is copied unchanged: its quotes still occur
verbatim and its dates still resolve against the same publication date.
"""

from __future__ import annotations

import json
from pathlib import Path

from harness.gold.corpus import META_FILE, SUMMARY_FILE, TEXT_FILE, article_dirs


def build_corpus(source: Path, target: Path, n: int) -> list[str]:
    """Write n replicas of the articles under `source` into `target`; returns their ids."""
    originals = [
        (
            folder.name,
            (folder / TEXT_FILE).read_text(encoding="utf-8"),
            json.loads((folder / META_FILE).read_text(encoding="utf-8")),
            (folder / SUMMARY_FILE).read_bytes(),
        )
        for folder in article_dirs(source)
    ]
    if not originals:
        raise SystemExit(f"{source}: no gold articles to replicate")
    target.mkdir(parents=True, exist_ok=True)
    ids = []
    for k in range(n):
        name, text, meta, summary = originals[k % len(originals)]
        replica = k // len(originals)
        article_id = f"{name}-r{replica}"
        folder = target / article_id
        folder.mkdir()
        (folder / TEXT_FILE).write_text(f"{text.rstrip()}\n\nReplica {replica}.\n", "utf-8")
        (folder / META_FILE).write_text(
            json.dumps({**meta, "id": article_id}, ensure_ascii=False, indent=2), "utf-8"
        )
        (folder / SUMMARY_FILE).write_bytes(summary)
        ids.append(article_id)
    return ids


__all__ = ["build_corpus"]
