"""Reports for the HTML tests, built by the real pipeline (parse, score, aggregate).

`build_report` does the work, so the pages under test carry real labels, reasons and grounding
checks; the tests only choose the raw answers. `hostile_report` then puts attack strings in
every place a model (or a hand-edited report.json) controls.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from harness.gold import Corpus, GoldArticle
from harness.providers.base import MockOptions
from harness.report.build import build_report
from harness.report.compare import CompareReport, compare_reports
from harness.report.models import Report
from harness.run.config import RunConfig
from harness.run.records import CallError, CallRecord, Usage
from harness.run.rundir import GoldInfo, PromptInfo, RunSpec
from harness.summary import Claim, Summary
from tests.support.articles import GENEVA, SUMMIT

STARTED = dt.datetime(2024, 7, 1, 9, 0, tzinfo=dt.UTC)
FINISHED = STARTED + dt.timedelta(minutes=3, seconds=7)

PAYLOADS: tuple[str, ...] = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">click</a>',
    "</textarea>",
    "</script>",
    '"><svg onload=alert(1)>',
    "<!-- \u2028\u2029 -->",
)
# One string carrying every payload, so each model-controlled place gets all of them at once.
PAYLOAD = " ".join(PAYLOADS)


def ok(article: GoldArticle, sample: int, raw: str, *, cost: float | None = 0.001) -> CallRecord:
    return CallRecord(
        article_id=article.id,
        sample=sample,
        status="ok",
        request_sha256="0" * 64,
        prompt_sha256="1" * 64,
        raw=raw,
        finish_reason="stop",
        usage=Usage(prompt_tokens=900, completion_tokens=300, cost_usd=cost, latency_s=1.5),
        attempts=1,
        finished_at=FINISHED,
    )


def failed(article: GoldArticle, sample: int, message: str) -> CallRecord:
    return CallRecord(
        article_id=article.id,
        sample=sample,
        status="failed",
        request_sha256="0" * 64,
        prompt_sha256="1" * 64,
        error=CallError(kind="server_error", message=message, status_code=503),
        attempts=5,
        retries=4,
        finished_at=FINISHED,
    )


def as_raw(summary: Summary) -> str:
    return json.dumps(summary.model_dump(mode="json"), ensure_ascii=False)


def build(
    articles: Sequence[GoldArticle], records: Iterable[CallRecord], *, samples: int
) -> Report:
    """A report through the real `build_report`, as `evalsum run` would write it."""
    spec = RunSpec(
        run_id="20240701-090000-mock-noisy-v2-test",
        config=RunConfig(model="mock/noisy", samples=samples),
        prompt=PromptInfo(name="v2", path="prompts/v2.prompt", sha256="2" * 64),
        gold=GoldInfo(path="gold", sha256="3" * 64, articles=len(articles)),
        article_ids=[a.id for a in articles],
        evalsum_version="0.1.0",
        litellm_version=None,
        python_version="3.11.7",
        command_line=["evalsum", "run", "--samples", str(samples)],
        started_at=STARTED,
    )
    corpus = Corpus(root=Path("gold"), sha256="3" * 64, articles=tuple(articles))
    return build_report(spec, corpus, {r.key: r for r in records}, finished_at=FINISHED)


def noisy(summary: Summary, variant: int) -> Summary:
    """A prediction with typical mistakes: a dropped item, a swapped speaker, an invention."""
    pred = summary.model_copy(deep=True)
    if variant % 2 == 0:
        if pred.claims:
            pred.claims.pop()
        names = [p.name for p in pred.participants if p.kind == "person"]
        if pred.claims and len(names) > 1:
            first = pred.claims[0]
            first.speaker = next(n for n in names if n != first.speaker)
        pred.claims.append(Claim(speaker="Nobody", claim="the moon is made of cheese"))
    elif pred.participants:
        pred.participants.pop()
    if pred.dates and variant % 2 == 1:
        pred.dates[0].date = pred.dates[0].date[:4]  # coarser than gold
    return pred


def sample_report() -> Report:
    """Two articles, two samples: matches and misses, an unusable answer, a failed call."""
    records = [
        ok(GENEVA, 0, as_raw(noisy(GENEVA.summary, 0))),
        ok(GENEVA, 1, as_raw(noisy(GENEVA.summary, 1)), cost=None),
        ok(SUMMIT, 0, "Sorry, I cannot summarise this article."),
        failed(SUMMIT, 1, "upstream overloaded"),
    ]
    return build([GENEVA, SUMMIT], records, samples=2)


def corpus_report(articles: Sequence[GoldArticle], samples: int = 2) -> Report:
    """Every article answered `samples` times with the noisy variants."""
    records = [ok(a, k, as_raw(noisy(a.summary, k))) for a in articles for k in range(samples)]
    return build(articles, records, samples=samples)


def hostile_summary() -> Summary:
    data = GENEVA.summary.model_dump(mode="json")
    data["participants"].append(
        {
            "name": PAYLOAD,
            "aliases": [PAYLOAD],
            "kind": "person",
            "role": PAYLOAD,
            "affiliation": PAYLOAD,
        }
    )
    data["dates"].append({"event": PAYLOAD, "date": "2024-06-03", "text": PAYLOAD})
    data["claims"].append({"speaker": PAYLOAD, "claim": PAYLOAD, "quote": PAYLOAD})
    data["red_lines"].append(
        {
            "party": PAYLOAD,
            "issue": PAYLOAD,
            "position": PAYLOAD,
            "speaker": PAYLOAD,
            "quote": PAYLOAD,
        }
    )
    return Summary.model_validate(data)


def hostile_report() -> Report:
    """Attack strings in every model-controlled place, and in the report's own strings."""
    invalid = json.dumps({"participants": [{"name": PAYLOAD, "kind": PAYLOAD}], "x": PAYLOAD})
    records = [
        ok(GENEVA, 0, as_raw(hostile_summary())),
        ok(GENEVA, 1, f"Here is the summary: {PAYLOAD}"),
        failed(SUMMIT, 0, PAYLOAD),
        ok(SUMMIT, 1, invalid),
    ]
    report = build([GENEVA, SUMMIT], records, samples=2)
    # A report.json can be edited by hand or come from `evalsum score` on outside files:
    # everything the page prints is treated as hostile, not only the model's answers.
    run = report.run
    run.model = PAYLOAD
    run.api_base = "javascript:alert(1)"
    run.prompt.name = PAYLOAD
    run.command_line = [*run.command_line, PAYLOAD]
    run.parameters = {**run.parameters, "note": PAYLOAD, "nested": {"x": PAYLOAD}}
    for i, article in enumerate(report.articles):
        article.article_id = f"{PAYLOAD}{i}"
        article.title = PAYLOAD
        for sample in article.samples:
            sample.finish_reason = PAYLOAD
            sample.parse_errors = [*sample.parse_errors, PAYLOAD]
            sample.parse_warnings = [*sample.parse_warnings, PAYLOAD]
            if sample.error is not None:
                sample.error.kind = PAYLOAD
    for error in report.errors:
        error.article_id = PAYLOAD
        error.kind = PAYLOAD
    return report


def replicate(report: Report, n: int) -> Report:
    """`n` articles made by cycling through the report's own (shared, not copied) results."""
    source = report.articles
    articles = [
        source[i % len(source)].model_copy(update={"article_id": f"art-{i:05d}"}) for i in range(n)
    ]
    return report.model_copy(update={"articles": articles})


def mock_runs(out: Path) -> tuple[Path, Path]:
    """Two real run folders over the repository's gold, as `evalsum run` writes them:
    mock/oracle, and mock/noisy at noise rate 0.9. The working directory must be the repo root.
    """
    from harness.run import start_run

    oracle = start_run(RunConfig(model="mock/oracle", out=out, cache=False))
    noisy = start_run(
        RunConfig(model="mock/noisy", out=out, cache=False, mock=MockOptions(noise_rate=0.9))
    )
    return oracle.folder, noisy.folder


def hostile_comparison(a: Report, b: Report) -> tuple[CompareReport, Report, Report]:
    """A comparison of copies of `a` and `b` with attack strings in every string it prints:
    models, prompts, run ids, paths, gold, scoring ids, article ids and titles, warnings.
    B lacks A's last article, so there are unpaired units (with hostile ids) too."""
    a, b = a.model_copy(deep=True), b.model_copy(deep=True)
    for report in (a, b):
        run = report.run
        run.model = run.prompt.name = run.run_id = run.gold.path = PAYLOAD
        run.scoring_config_id = PAYLOAD
        for i, article in enumerate(report.articles):
            article.article_id = f"{PAYLOAD}{i}"
            article.title = PAYLOAD
    b.run.gold.sha256 = PAYLOAD  # a different gold: a warning quoting part of it
    b.run.scoring_config_id = f"{PAYLOAD}B"  # different scoring: a warning quoting all of it
    b.articles = b.articles[:-1]
    result = compare_reports(a, b, a_path=PAYLOAD, b_path="javascript:alert(1)", resamples=200)
    result.warnings.append(PAYLOAD)
    return result, a, b


__all__ = [
    "PAYLOAD",
    "PAYLOADS",
    "as_raw",
    "build",
    "corpus_report",
    "failed",
    "hostile_comparison",
    "hostile_report",
    "mock_runs",
    "ok",
    "replicate",
    "sample_report",
]
