"""What went wrong in a run, grouped by reason: calls that failed (or were never made) and
answers that could not be used.

"0 ok, 2 failed" says that something broke, not what; a score of 0.000 over answers that were
all unparseable looks like a bad model. These groups say why, e.g. "2 failed: rate_limit
(HTTP 429) after 5 attempts" or "2 unparseable: no JSON object found in the answer".

Failed calls come from the report's error list. Unusable answers are tallied while the report
is built (`UnusableAnswers`), so a large run need not read every article back to count them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from harness.report.models import ArticleResult, ErrorEntry, SampleResult

# Error kinds that are not a failed call: the run decided not to call, or nothing answered.
_NOT_CALLED = {"budget": "skipped", "missing": "missing"}
# Provider messages start "<model> [article <id>]: ": the same failure, said per article.
_MESSAGE_PREFIX = re.compile(r"^.*?\[article [^\]]*\]:\s*")
# "$.claims[3].speaker: Field required" and "$.claims[7]..." are one reason, not two.
_ITEM_INDEX = re.compile(r"\[\d+\]")
_DETAIL_CHARS = 120
# Article ids named per group: enough to find examples, bounded for a 10,000-article run.
_EXAMPLES = 3


@dataclass
class ProblemGroup:
    """`count` samples that went wrong the same way."""

    what: str  # "failed", "skipped", "missing", or an unusable output status ("unparseable"...)
    reason: str
    count: int = 0
    articles: set[str] = field(default_factory=set)
    details: dict[str, int] = field(default_factory=dict)  # distinct messages -> how many
    attempts: set[int] = field(default_factory=set)

    def add(self, article_id: str, detail: str | None = None, attempts: int | None = None) -> None:
        self.count += 1
        self.articles.add(article_id)
        if detail:
            self.details[detail] = self.details.get(detail, 0) + 1
        if attempts:
            self.attempts.add(attempts)

    def text(self) -> str:
        """One line: "2 failed: rate_limit (HTTP 429) after 5 attempts: <message>"."""
        reason = self.reason
        if self.attempts:
            low, high = min(self.attempts), max(self.attempts)
            span = f"{low}" if low == high else f"{low}-{high}"
            reason += f" after {span} attempt{'' if span == '1' else 's'}"
        if self.details:
            common = max(self.details, key=lambda d: self.details[d])
            if len(common) > _DETAIL_CHARS:
                common = common[: _DETAIL_CHARS - 1] + "…"
            others = len(self.details) - 1
            reason += f": {common}" + (f" (+{others} other message(s))" if others else "")
        named = sorted(self.articles)
        where = ", ".join(named[:_EXAMPLES])
        if len(named) > _EXAMPLES:
            where += f", +{len(named) - _EXAMPLES} more"
        return f"{self.count} {self.what}: {reason} [{where}]"


def _detail(message: str) -> str:
    return _MESSAGE_PREFIX.sub("", message, count=1).strip()


def call_problems(
    errors: Iterable[ErrorEntry], *, missing_reason: str | None = None
) -> list[ProblemGroup]:
    """Failed, skipped and missing calls, grouped by kind and HTTP status, largest first.

    `missing_reason` says why an answer is missing where the caller knows better than the
    report's generic message (no prediction file, for `evalsum score`)."""
    groups: dict[tuple[str, str, int | None], ProblemGroup] = {}
    for error in errors:
        what = _NOT_CALLED.get(error.kind, "failed")
        key = (what, error.kind, error.status_code)
        group = groups.get(key)
        if group is None:
            if what == "failed":
                code = f" (HTTP {error.status_code})" if error.status_code else ""
                group = ProblemGroup(what, f"{error.kind}{code}")
            elif what == "missing" and missing_reason:
                group = ProblemGroup(what, missing_reason)
            else:
                # The message is the whole reason ("not called: --max-cost 1 USD reached").
                group = ProblemGroup(what, _detail(error.message))
            groups[key] = group
        if what == "failed":
            group.add(error.article_id, _detail(error.message), error.attempts)
        else:
            group.add(error.article_id)
    return sorted(groups.values(), key=lambda g: -g.count)


class UnusableAnswers:
    """Answers that came back but could not be used (they score as empty predictions),
    grouped by output status and first reason. Feed it every sample as it is scored."""

    def __init__(self) -> None:
        self._groups: dict[tuple[str, str], ProblemGroup] = {}

    def add(self, article_id: str, sample: SampleResult) -> None:
        if sample.status != "ok" or sample.prediction is not None:
            return
        status = sample.output_status or "unusable"
        first = sample.parse_errors[0] if sample.parse_errors else "no reason recorded"
        reason = _ITEM_INDEX.sub("[*]", first)
        key = (status, reason)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = ProblemGroup(status, reason)
        group.add(article_id)

    def add_article(self, article: ArticleResult) -> None:
        for sample in article.samples:
            self.add(article.article_id, sample)

    @property
    def total(self) -> int:
        return sum(g.count for g in self._groups.values())

    def groups(self) -> list[ProblemGroup]:
        return sorted(self._groups.values(), key=lambda g: -g.count)


def unusable_answers(articles: Iterable[ArticleResult]) -> UnusableAnswers:
    """The tally from a finished report's articles (reads each one; a run has it already)."""
    tally = UnusableAnswers()
    for article in articles:
        tally.add_article(article)
    return tally


def limited(groups: Sequence[ProblemGroup], limit: int = 5) -> list[str]:
    """The groups' lines, at most `limit`, the rest summed up in one more line."""
    lines = [g.text() for g in groups[:limit]]
    rest = groups[limit:]
    if rest:
        lines.append(
            f"{sum(g.count for g in rest)} more in {len(rest)} other group(s): see report.html"
        )
    return lines


__all__ = [
    "ProblemGroup",
    "UnusableAnswers",
    "call_problems",
    "limited",
    "unusable_answers",
]
