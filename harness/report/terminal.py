"""What `evalsum run` and `evalsum score` print when they finish: the counts that say what
happened, why calls failed or answers were unusable, a table per field, the overall score and
what it means, and where the report is.

Every number printed is one report.json holds (or, for the run's own counts, one the run
measured), so the terminal and the report never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from harness.report.models import Report
from harness.report.problems import UnusableAnswers, call_problems, limited, unusable_answers

if TYPE_CHECKING:
    from harness.run.runner import RunResult

# What each mock model's answers are: a score of 1.0 from mock/oracle says nothing of a model.
_SIMULATED = {
    "mock/oracle": "its answers are the gold summaries themselves",
    "mock/noisy": "its answers are the gold summaries with seeded errors",
    "mock/replay": "it replays answers recorded earlier in a cassette, calling no model",
}
_INDENT = "  "


def simulated_note(model: str) -> str | None:
    """A line saying the model is simulated, for mock/ models; None for a real one."""
    if not model.startswith("mock/"):
        return None
    what = _SIMULATED.get(model, "its answers are made by evalsum")
    return f"note: {model} is simulated: {what}, not written by a language model"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def field_table(report: Report) -> list[str]:
    """Per field, pooled over articles (micro): P, R, F1 and the item counts behind them."""
    soft = report.run.scoring.overall.metric == "soft_f1"
    header = ["field", "P", "R", "F1", *(["soft F1"] if soft else []), "matched", "predicted"]
    header.append("gold")
    # Two annotators' agreement on the run's double-annotated articles: the F1 a model is not
    # expected to exceed.
    ceiling = report.agreement.fields if report.agreement is not None else None
    if ceiling is not None:
        header.append("agreement")
    rows = [header]
    for name, result in report.fields.items():
        micro, counts = result.micro, result.counts
        row = [
            name,
            f"{micro.precision:.3f}",
            f"{micro.recall:.3f}",
            f"{micro.f1:.3f}",
            *([f"{micro.soft_f1:.3f}"] if soft else []),
            str(counts.tp),
            str(counts.n_pred),
            str(counts.n_gold),
        ]
        if ceiling is not None:
            value = ceiling.get(name)
            row.append("n/a" if value is None else f"{value:.3f}")
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def overall_line(report: Report) -> str:
    """The overall score and what it is."""
    overall = report.run.scoring.overall
    metric = "soft F1" if overall.metric == "soft_f1" else "F1"
    weights = {f: w for f, w in overall.weights.items() if f in report.fields}
    if len(set(weights.values())) <= 1:
        how = "equal weights"
    else:
        how = "weights " + ", ".join(f"{f} {w:g}" for f, w in weights.items())
    score = report.overall.micro
    value = f"{score:.3f}" if score is not None else "n/a"
    return (
        f"overall score: {value} = the weighted mean of the fields' {metric} ({how}); "
        "1.0 = agrees with gold on every field"
    )


def problem_lines(
    report: Report, unusable: UnusableAnswers | None = None, missing_reason: str | None = None
) -> list[str]:
    """Why calls failed (or were not made) and why answers were unusable, grouped."""
    tally = unusable if unusable is not None else unusable_answers(report.articles)
    lines = limited(call_problems(report.errors, missing_reason=missing_reason))
    answers = limited(tally.groups())
    if answers:
        answers.append("(an unusable answer scores as an empty prediction)")
    return lines + answers


def judge_line(report: Report) -> str | None:
    judge = report.run.judge
    if judge is None:
        return None
    line = (
        f"claims judged by {judge.model}: {_plural(judge.calls, 'call')}, "
        f"{judge.cached} from cache, {_plural(judge.errors, 'error')}"
    )
    if judge.last_error:
        line += f" (last: {judge.last_error})"
    return line


def report_summary(
    report: Report,
    folder: Path,
    *,
    unusable: UnusableAnswers | None = None,
    missing_reason: str | None = None,
) -> list[str]:
    """What follows the counts: problems, the simulated-model note, the table, the overall
    score, the judge and where report.html is."""
    lines = [_INDENT + line for line in problem_lines(report, unusable, missing_reason)]
    note = simulated_note(report.run.model)
    if note:
        lines.append(note)
    effective = report.run.effective_parameters
    lines += [f"note: {diff}" for diff in (effective.notes if effective else [])]
    pooled = _plural(len(report.articles), "article")
    samples = report.run.parameters.get("samples", 1)
    if isinstance(samples, int) and samples > 1:
        pooled += f" x {samples} samples"
    lines += ["", f"per field, pooled over {pooled} (micro):"]
    lines += field_table(report)
    if report.agreement is not None:
        lines.append(
            f"agreement: two independent annotators' F1 on the "
            f"{_plural(len(report.agreement.articles), 'double-annotated article')} of this "
            "run (gold/AGREEMENT.md); a model is not expected to score above it"
        )
    lines += ["", overall_line(report)]
    judge = judge_line(report)
    if judge:
        lines.append(judge)
    from harness.report.html import REPORT_HTML_FILE

    lines.append(f"report: {folder / REPORT_HTML_FILE}")
    return lines


def run_counts(result: RunResult) -> list[str]:
    """What the run did: tasks, answers, calls and the requests they took, spend."""
    unusable = result.unusable.total if result.unusable is not None else 0
    answers = f"{result.ok_calls} ok ({result.cached_calls} from cache"
    answers += f", {unusable} unusable)" if unusable else ")"
    lines = [
        f"{result.tasks} task(s): {answers}, {result.failed_calls} failed, "
        f"{result.skipped_calls} skipped; {result.provider_calls} provider call(s) this session "
        f"({_plural(result.provider_attempts, 'request')} sent, retries included), "
        f"${result.spent_usd:.4f} spent",
    ]
    if result.scores_reused:
        lines.append(f"{result.scores_reused} answer(s) already scored: scores reused")
    if result.budget_exhausted:
        lines.append("stopped starting new calls: --max-cost reached (resume to finish)")
    if result.repaired_journal_lines:
        lines.append("repaired a journal line cut off by an earlier crash")
    return lines


def render_run(result: RunResult) -> str:
    """Everything `evalsum run` prints before the run folder."""
    lines = run_counts(result)
    if result.report is not None:
        lines += report_summary(result.report, result.folder, unusable=result.unusable)
    elif result.overall is not None:
        lines.append(f"overall score: {result.overall:.3f}")
    return "\n".join(lines)


def render_scored(
    report: Report,
    folder: Path,
    *,
    files: int,
    missing: Sequence[str],
    unknown: Sequence[str],
    scores_reused: int = 0,
    unusable: UnusableAnswers | None = None,
) -> str:
    """Everything `evalsum score` prints before the run folder."""
    scored = len(report.articles) - len(missing)
    counts = [
        f"{scored} scored against gold",
        f"{len(missing)} gold article(s) without a prediction",
        f"{len(unknown)} file(s) without a gold article",
    ]
    if unselected := files - scored - len(unknown):
        counts.append(f"{unselected} not among --articles")
    lines = [f"{_plural(files, 'prediction file')}: " + ", ".join(counts)]
    if scores_reused:
        lines.append(f"{scores_reused} answer(s) already scored: scores reused")
    lines += report_summary(report, folder, unusable=unusable, missing_reason="no prediction file")
    return "\n".join(lines)


__all__ = [
    "field_table",
    "overall_line",
    "problem_lines",
    "render_run",
    "render_scored",
    "report_summary",
    "run_counts",
    "simulated_note",
]
