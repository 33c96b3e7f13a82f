"""Scoring summaries produced outside evalsum: one `<article-id>.json` per article.

The result is an ordinary run folder (run.json, journal.jsonl, report.json), so everything
that reads reports — HTML, `evalsum compare`, CI gates — works on it unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harness import __version__
from harness.errors import InputError
from harness.gold import load_corpus
from harness.gold.corpus import article_dirs
from harness.providers import check_model
from harness.redact import redact_argv
from harness.report.build import ReportWriter
from harness.report.models import Report
from harness.report.problems import UnusableAnswers
from harness.report.score_cache import ScoreCache
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


def _check_score_cache(directory: Path) -> None:
    """A cache folder given that cannot be used is an error before anything is written (the
    report writer would quietly score without it)."""
    try:
        ScoreCache(directory).close()
    except (OSError, sqlite3.Error) as exc:
        raise InputError(
            f"cannot open the score cache in {directory}: {getattr(exc, 'strerror', None) or exc}",
            hint="pass --cache-dir with a writable folder, or --no-cache",
        ) from None


def label(predictions: Path) -> str:
    """What a scored folder of predictions is called in its report: the folder's own name
    (e.g. the model that wrote them), which tells two such runs apart in `evalsum compare`."""
    return predictions.resolve().name or "predictions"


@dataclass
class ScoredPredictions:
    folder: Path
    report: Report
    files: int
    unknown: list[str] = field(default_factory=list)  # prediction files without a gold article
    missing: list[str] = field(default_factory=list)  # gold articles without a prediction file
    scores_reused: int = 0
    unusable: UnusableAnswers = field(default_factory=UnusableAnswers)


def score_predictions(
    predictions: Path,
    gold: Path,
    out: Path,
    *,
    command_line: list[str] | None = None,
    judge: str | None = None,
    articles: Sequence[str] | None = None,
    cache: bool = True,
    cache_dir: Path | None = None,
) -> ScoredPredictions:
    """Score `predictions` against the gold articles (or those in `articles`) and write a run
    folder. Answers already scored are taken from the score cache in `cache_dir`; a judge's
    verdicts are cached there too."""
    files = _predictions(predictions)
    corpus = load_corpus(gold, articles)
    every_id = {folder.name for folder in article_dirs(gold)}
    unknown = sorted(set(files) - every_id)
    selected = [a.id for a in corpus.articles]
    missing = [i for i in selected if i not in files]
    if judge:
        check_model(judge)  # a judge that cannot be called must fail before anything is written
    now = dt.datetime.now(dt.UTC)
    name = label(predictions)
    config = RunConfig(
        model=name,
        prompt=str(predictions),
        gold=gold,
        out=out,
        articles=list(articles) if articles is not None else None,
        cache=cache,
        judge=judge,
        **({"cache_dir": cache_dir} if cache_dir is not None else {}),
    )
    if cache:
        _check_score_cache(config.cache_dir)
    run_id = new_run_id(name, "", now)
    folder = create_run_dir(out, run_id)
    spec = RunSpec(
        run_id=run_id,
        config=config,
        prompt=PromptInfo(name="external", path=str(predictions), sha256=_digest(files)),
        gold=GoldInfo(path=str(gold), sha256=corpus.sha256, articles=len(corpus.articles)),
        article_ids=selected,
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
    with ReportWriter(folder, spec, corpus) as writer:
        report = writer.finish(dt.datetime.now(dt.UTC))
        return ScoredPredictions(
            folder=folder,
            report=report,
            files=len(files),
            unknown=unknown,
            missing=missing,
            scores_reused=writer.scores_reused,
            unusable=writer.unusable,
        )


__all__ = ["ScoredPredictions", "label", "score_predictions"]
