"""Scoring summaries produced outside evalsum: one `<article-id>.json` per article.

The result is an ordinary run folder (run.json, journal.jsonl, report.json), so everything
that reads reports — HTML, `evalsum compare`, CI gates — works on it unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
from pathlib import Path

from harness import __version__
from harness.errors import InputError
from harness.gold import load_corpus
from harness.redact import redact_argv
from harness.report.build import write_report
from harness.report.models import Report
from harness.run.config import RunConfig
from harness.run.journal import JOURNAL_FILE, Journal
from harness.run.records import CallRecord
from harness.run.rundir import GoldInfo, PromptInfo, RunSpec, create_run_dir, new_run_id, write_spec


def _predictions(directory: Path) -> dict[str, Path]:
    if not directory.is_dir():
        raise InputError(
            f"predictions folder not found: {directory.resolve()} (pass --predictions DIR)"
        )
    files = {p.stem: p for p in sorted(directory.glob("*.json"))}
    if not files:
        raise InputError(
            f"{directory}: no <article-id>.json files",
            hint="write one JSON summary per article, named after the gold article id",
        )
    return files


def _digest(files: dict[str, Path]) -> str:
    digest = hashlib.sha256()
    for stem, path in sorted(files.items()):
        digest.update(f"{stem}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def score_predictions(
    predictions: Path,
    gold: Path,
    out: Path,
    *,
    command_line: list[str] | None = None,
    judge: str | None = None,
) -> tuple[Path, Report, list[str]]:
    """(run folder, report, prediction ids that have no gold article)."""
    files = _predictions(predictions)
    corpus = load_corpus(gold)
    known = {a.id for a in corpus.articles}
    unknown = sorted(set(files) - known)
    now = dt.datetime.now(dt.UTC)
    config = RunConfig(
        model="external", prompt=str(predictions), gold=gold, out=out, cache=False, judge=judge
    )
    run_id = new_run_id("external", predictions.name or "predictions", now)
    folder = create_run_dir(out, run_id)
    spec = RunSpec(
        run_id=run_id,
        config=config,
        prompt=PromptInfo(name="external", path=str(predictions), sha256=_digest(files)),
        gold=GoldInfo(path=str(gold), sha256=corpus.sha256, articles=len(corpus.articles)),
        article_ids=sorted(known),
        evalsum_version=__version__,
        litellm_version=None,
        python_version=platform.python_version(),
        command_line=redact_argv(command_line or []),
        started_at=now,
    )
    write_spec(folder, spec)
    with Journal.open(folder / JOURNAL_FILE) as journal:
        for article in corpus.articles:
            path = files.get(article.id)
            if path is None:
                continue  # reported as missing, with an error entry, by the report
            try:
                raw = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise InputError(f"{path}: not UTF-8") from None
            journal.append(
                CallRecord(
                    article_id=article.id,
                    sample=0,
                    status="ok",
                    request_sha256=hashlib.sha256(raw.encode()).hexdigest(),
                    prompt_sha256="external",
                    raw=raw,
                    finished_at=now,
                )
            )
    report = write_report(folder, spec, corpus, finished_at=dt.datetime.now(dt.UTC))
    return folder, report, unknown


__all__ = ["score_predictions"]
