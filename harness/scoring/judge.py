"""Whether two claims state the same proposition, decided by a judge instead of word overlap.

The scorer depends only on the `ClaimJudge` protocol. The real judge (an LLM at temperature 0,
through evalsum's provider layer) is wired by the CLI; tests use `MockJudge`. A verdict counts
only when the judge agrees in both argument orders, which cancels a judge's position bias.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol, runtime_checkable


@runtime_checkable
class ClaimJudge(Protocol):
    def same_proposition(self, a: str, b: str) -> bool:
        """True when `a` and `b` state the same proposition."""
        ...


def judge_both_orders(judge: ClaimJudge, a: str, b: str) -> bool:
    """The verdict the scorer uses: both orders must agree that the claims are the same."""
    return judge.same_proposition(a, b) and judge.same_proposition(b, a)


class CachingJudge:
    """Remembers verdicts by argument order, so a claim pair costs each model call once.

    The cache is a plain dict the caller may pre-fill from, or persist to, a file.
    """

    def __init__(self, inner: ClaimJudge, cache: dict[tuple[str, str], bool] | None = None):
        self.inner = inner
        self.cache: dict[tuple[str, str], bool] = {} if cache is None else cache

    def same_proposition(self, a: str, b: str) -> bool:
        key = (a, b)
        if key not in self.cache:
            self.cache[key] = bool(self.inner.same_proposition(a, b))
        return self.cache[key]


class MockJudge:
    """A judge for tests: says "same" for the given ordered pairs, or by a given rule.

    Every call is recorded in `calls`, so tests can check both orders were asked.
    """

    def __init__(
        self,
        same: Iterable[tuple[str, str]] | Callable[[str, str], bool] = (),
        *,
        symmetric: bool = True,
    ):
        self.calls: list[tuple[str, str]] = []
        if callable(same):
            self._rule: Callable[[str, str], bool] = same
        else:
            pairs = set(same)
            if symmetric:
                pairs |= {(b, a) for a, b in pairs}
            self._rule = lambda a, b: a == b or (a, b) in pairs

    def same_proposition(self, a: str, b: str) -> bool:
        self.calls.append((a, b))
        return self._rule(a, b)


__all__ = ["CachingJudge", "ClaimJudge", "MockJudge", "judge_both_orders"]
