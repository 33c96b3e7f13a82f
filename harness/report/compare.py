"""`evalsum compare`: is B better or worse than A, field by field, and is the difference real?

Articles (and samples) are paired by id. The uncertainty of a difference in pooled (micro) F1
comes from a paired bootstrap over articles: whole articles are resampled, with all their
samples, and pooled counts recomputed for A and B on the same resample. With five or fewer
articles no two-sided paired test can reach p < 0.05, so such comparisons are labelled
descriptive only and never called significant.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from harness.report.bootstrap import f1_samples, percentile_interval, pooled_f1, resampled_sums
from harness.report.models import Report

COMPARE_SCHEMA_VERSION = 1
# Below this many paired articles even a perfect sweep has p >= 0.0625 (two-sided sign test).
MIN_ARTICLES_FOR_INFERENCE = 6
DEFAULT_RESAMPLES = 2000
DEFAULT_THRESHOLD = 0.01
_TIE = 1e-9


# One word per field for what the comparison found. A drop the gate acts on is "regressed"
# only when the interval confirms it; a drop beyond the threshold that the data cannot confirm
# (too few articles, or an interval that includes zero) is "drop not confirmed", gated all the
# same under the current rule.
Verdict = Literal[
    "regressed", "drop not confirmed", "improved", "gain not confirmed", "no change", "cannot tell"
]
VERDICTS: dict[str, str] = {
    "regressed": "F1 is lower in B and the 95% interval of the difference excludes zero",
    "drop not confirmed": "F1 drops by more than the threshold, but the data cannot confirm it "
    "(the interval includes zero, or there are too few articles to tell)",
    "improved": "F1 is higher in B and the 95% interval of the difference excludes zero",
    "gain not confirmed": "F1 rises by more than the threshold, but the data cannot confirm it",
    "no change": "F1 moves by no more than the threshold, and not significantly",
    "cannot tell": "no paired articles to compare",
}


def gate_rule(threshold: float) -> str:
    """The rule --fail-on-regression applies to each field."""
    return (
        f"a field fails when its F1 drops by more than {threshold:g}, or drops with a 95% "
        "interval below zero"
    )


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RunRef(_Model):
    path: str
    run_id: str
    model: str
    prompt: str
    prompt_sha256: str
    gold_sha256: str
    overall: float | None


class Metrics(_Model):
    precision: float
    recall: float
    f1: float


class Interval(_Model):
    low: float
    high: float
    confidence: float = 0.95


class FieldComparison(_Model):
    field: str
    a: Metrics
    b: Metrics
    delta_f1: float = Field(description="B minus A, micro (pooled) F1.")
    delta_precision: float
    delta_recall: float
    ci: Interval | None = Field(
        description="Paired bootstrap interval of delta_f1 over articles; null with < 2 articles."
    )
    significant: bool | None = Field(
        description="The interval excludes 0; null when the corpus is too small to tell."
    )
    wins: int = Field(description="Articles whose F1 is higher in B.")
    ties: int
    losses: int
    regressed_articles: list[str] = Field(description="Articles whose F1 is lower in B.")
    regression: bool = Field(
        description="--fail-on-regression acts on this field (see CompareReport.gate_rule)."
    )
    verdict: Verdict = Field(
        description="What the comparison found: "
        + "; ".join(f"'{k}': {v}" for k, v in VERDICTS.items())
        + "."
    )


class OverallComparison(_Model):
    a: float
    b: float
    delta: float
    ci: Interval | None
    significant: bool | None


class CompareReport(_Model):
    schema_version: Literal[1] = COMPARE_SCHEMA_VERSION
    a: RunRef
    b: RunRef
    paired_articles: int
    paired_samples: int
    unpaired: dict[str, list[str]] = Field(
        description="'only_a' / 'only_b': article:sample units without a partner (not scored)."
    )
    warnings: list[str]
    descriptive_only: bool
    note: str
    resamples: int
    seed: int
    threshold: float
    fields: list[FieldComparison]
    overall: OverallComparison
    regression: bool = Field(description="Any field regressed (see FieldComparison.regression).")
    gate_rule: str = Field(description="When --fail-on-regression fails on a field.")
    gated_fields: list[str] = Field(
        description="The fields --fail-on-regression acts on (exit 1 when it is given)."
    )


def run_ref(path: str, report: Report) -> RunRef:
    return RunRef(
        path=path,
        run_id=report.run.run_id,
        model=report.run.model,
        prompt=report.run.prompt.name,
        prompt_sha256=report.run.prompt.sha256,
        gold_sha256=report.run.gold.sha256,
        overall=report.overall.micro,
    )


def _units(report: Report) -> dict[tuple[str, int], dict[str, tuple[float, int, int]]]:
    """(article, sample) -> field -> (tp, n_gold, n_pred)."""
    out = {}
    for article in report.articles:
        for sample in article.samples:
            out[(article.article_id, sample.sample)] = {
                name: (float(score.tp), score.n_gold, score.n_pred)
                for name, score in sample.score.fields.items()
            }
    return out


def _ratio(num: float, den: float, both_empty: bool) -> float:
    if both_empty:
        return 1.0
    return num / den if den else 0.0


def _metrics(tp: float, n_gold: float, n_pred: float) -> Metrics:
    empty = n_gold == 0 and n_pred == 0
    return Metrics(
        precision=_ratio(tp, n_pred, empty),
        recall=_ratio(tp, n_gold, empty),
        f1=_ratio(2 * tp, n_gold + n_pred, empty),
    )


def _interval(values: np.ndarray) -> Interval:
    low, high = percentile_interval(values)
    return Interval(low=low, high=high)


def _significant(ci: Interval | None, descriptive: bool) -> bool | None:
    if ci is None or descriptive:
        return None
    return ci.low > 0 or ci.high < 0


def verdict(
    delta: float, significant: bool | None, regression: bool, threshold: float, paired: int
) -> Verdict:
    """One verdict, consistent with the gate: every gated field is a regression or a drop."""
    if paired == 0:
        return "cannot tell"
    if regression:
        return "regressed" if significant else "drop not confirmed"
    if significant and delta > 0:
        return "improved"
    if delta > threshold:
        return "gain not confirmed"
    return "no change"


def compare_reports(
    a: Report,
    b: Report,
    *,
    a_path: str = "A",
    b_path: str = "B",
    threshold: float = DEFAULT_THRESHOLD,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> CompareReport:
    units_a, units_b = _units(a), _units(b)
    paired = sorted(set(units_a) & set(units_b))
    unpaired = {
        "only_a": [f"{i}:{s}" for i, s in sorted(set(units_a) - set(units_b))],
        "only_b": [f"{i}:{s}" for i, s in sorted(set(units_b) - set(units_a))],
    }
    warnings = []
    if a.run.gold.sha256 != b.run.gold.sha256:
        warnings.append(
            f"the reports were scored on different gold (sha256 {a.run.gold.sha256[:12]} vs "
            f"{b.run.gold.sha256[:12]}): differences may come from gold, not from the model"
        )
    if a.run.scoring_config_id != b.run.scoring_config_id:
        warnings.append(
            "the reports were scored with different scoring settings "
            f"({a.run.scoring_config_id} vs {b.run.scoring_config_id})"
        )
    if unpaired["only_a"] or unpaired["only_b"]:
        warnings.append(
            f"{len(unpaired['only_a'])} unit(s) only in A and {len(unpaired['only_b'])} only in "
            "B are left out of the comparison (listed under 'unpaired')"
        )

    articles = sorted({article for article, _ in paired})
    n = len(articles)
    descriptive = n < MIN_ARTICLES_FOR_INFERENCE
    fields = [f for f in a.run.scoring.overall.weights if f in a.fields and f in b.fields]
    weights = np.array([a.run.scoring.overall.weights[f] for f in fields], dtype=float)
    index = {article: i for i, article in enumerate(articles)}

    # counts[side, field, article, (tp, n_gold, n_pred)], samples pooled within an article.
    counts = np.zeros((2, len(fields), n, 3))
    for article, sample in paired:
        for side, units in enumerate((units_a, units_b)):
            for j, name in enumerate(fields):
                tp, n_gold, n_pred = units[(article, sample)].get(name, (0.0, 0, 0))
                counts[side, j, index[article]] += (tp, n_gold, n_pred)

    # boot[r, side, field]: pooled F1 of resample r; the same draws for every side and field.
    boot = f1_samples(resampled_sums(counts, resamples, seed)) if n >= 2 else None
    field_results = []
    for j, name in enumerate(fields):
        ma = _metrics(*counts[0, j].sum(axis=0))
        mb = _metrics(*counts[1, j].sum(axis=0))
        per_a = pooled_f1(*counts[0, j].T)
        per_b = pooled_f1(*counts[1, j].T)
        diff = per_b - per_a
        ci = None
        if boot is not None:
            ci = _interval(boot[:, 1, j] - boot[:, 0, j])
        delta = mb.f1 - ma.f1
        significant = _significant(ci, descriptive)
        regression = delta < -threshold or (significant is True and delta < 0)
        field_results.append(
            FieldComparison(
                field=name,
                a=ma,
                b=mb,
                delta_f1=delta,
                delta_precision=mb.precision - ma.precision,
                delta_recall=mb.recall - ma.recall,
                ci=ci,
                significant=significant,
                wins=int((diff > _TIE).sum()),
                ties=int((np.abs(diff) <= _TIE).sum()),
                losses=int((diff < -_TIE).sum()),
                regressed_articles=[articles[i] for i in np.flatnonzero(diff < -_TIE)],
                regression=regression,
                verdict=verdict(delta, significant, regression, threshold, n),
            )
        )

    overall_a = (
        float(np.average([r.a.f1 for r in field_results], weights=weights)) if fields else 0.0
    )
    overall_b = (
        float(np.average([r.b.f1 for r in field_results], weights=weights)) if fields else 0.0
    )
    overall_ci = None
    if boot is not None and fields:
        delta_boot = np.average(boot[:, 1, :], axis=1, weights=weights) - np.average(
            boot[:, 0, :], axis=1, weights=weights
        )
        overall_ci = _interval(delta_boot)
    note = (
        f"{n} paired article(s): descriptive only — with 5 or fewer articles no two-sided "
        "paired test can reach p < 0.05, so no difference is called significant"
        if descriptive
        else f"{n} paired articles; 95% paired bootstrap intervals over articles "
        f"({resamples} resamples)"
    )
    return CompareReport(
        a=run_ref(a_path, a),
        b=run_ref(b_path, b),
        paired_articles=n,
        paired_samples=len(paired),
        unpaired=unpaired,
        warnings=warnings,
        descriptive_only=descriptive,
        note=note,
        resamples=resamples,
        seed=seed,
        threshold=threshold,
        fields=field_results,
        overall=OverallComparison(
            a=overall_a,
            b=overall_b,
            delta=overall_b - overall_a,
            ci=overall_ci,
            significant=_significant(overall_ci, descriptive),
        ),
        regression=any(r.regression for r in field_results),
        gate_rule=gate_rule(threshold),
        gated_fields=[r.field for r in field_results if r.regression],
    )


def _fmt(value: float, signed: bool = False) -> str:
    return "n/a" if math.isnan(value) else (f"{value:+.3f}" if signed else f"{value:.3f}")


def gate_line(result: CompareReport, fail_on_regression: bool) -> str:
    """What --fail-on-regression does with this comparison, naming each field it acts on."""
    gated = [f for f in result.fields if f.regression]
    if not gated:
        verb = "passes" if fail_on_regression else "would pass"
        return f"--fail-on-regression {verb}: {gate_rule(result.threshold)}; no field does"
    named = ", ".join(f"{f.field} ({f.verdict})" for f in gated)
    if fail_on_regression:
        return f"--fail-on-regression fails on {named}"
    return f"--fail-on-regression would fail on {named}"


def render_table(result: CompareReport, *, fail_on_regression: bool = False) -> str:
    """What `evalsum compare` prints: a table with one verdict per field, what the verdicts
    mean, and what --fail-on-regression does."""
    rows: list[Sequence[str]] = [("field", "F1 A", "F1 B", "delta", "95% CI", "W/T/L", "verdict")]
    for r in result.fields:
        ci = f"[{r.ci.low:+.3f}, {r.ci.high:+.3f}]" if r.ci else "n/a"
        rows.append(
            (
                r.field,
                _fmt(r.a.f1),
                _fmt(r.b.f1),
                _fmt(r.delta_f1, True),
                ci,
                f"{r.wins}/{r.ties}/{r.losses}",
                r.verdict,
            )
        )
    o = result.overall
    ci = f"[{o.ci.low:+.3f}, {o.ci.high:+.3f}]" if o.ci else "n/a"
    rows.append(("overall", _fmt(o.a), _fmt(o.b), _fmt(o.delta, True), ci, "", ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        f"A: {result.a.model} / {result.a.prompt} ({result.a.path})",
        f"B: {result.b.model} / {result.b.prompt} ({result.b.path})",
        "",
    ]
    lines += [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines += ["", result.note]
    lines += [f"warning: {w}" for w in result.warnings]
    for r in result.fields:
        if r.regressed_articles:
            shown = ", ".join(r.regressed_articles[:10])
            more = len(r.regressed_articles) - 10
            lines.append(
                f"{r.field}: F1 lower in B in {shown}" + (f" (+{more} more)" if more > 0 else "")
            )
    used = dict.fromkeys(r.verdict for r in result.fields)
    lines += [f"{v}: {VERDICTS[v]}" for v in used if v != "no change"]
    lines.append(gate_line(result, fail_on_regression))
    return "\n".join(lines)


__all__ = [
    "COMPARE_SCHEMA_VERSION",
    "VERDICTS",
    "CompareReport",
    "FieldComparison",
    "Verdict",
    "compare_reports",
    "gate_line",
    "gate_rule",
    "render_table",
    "verdict",
]
