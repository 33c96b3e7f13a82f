"""One interface for every field scorer, and the registry that finds them.

A new field (or a better scorer for an existing one) is one module with a class satisfying
`FieldScorer`, and one `register` call. The built-in four go through the same path.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

from harness.scoring.context import ArticleContext
from harness.scoring.models import FieldScore, ItemGrounding


@runtime_checkable
class FieldScorer(Protocol):
    """Scores one list-valued field of `Summary`.

    `name` is the field's name in reports, and the `Summary` attribute it reads unless the
    scorer also defines `source` (so a second scorer can read the same attribute differently,
    e.g. only the quoted claims).
    """

    name: str

    def ground(self, items: Sequence[Any], ctx: ArticleContext) -> list[ItemGrounding]:
        """Check each predicted item against the article text (no gold needed)."""
        ...

    def score(self, gold: Sequence[Any], pred: Sequence[Any], ctx: ArticleContext) -> FieldScore:
        """Align, credit and explain; `ctx.grounded(name, j)` tells invented from extra."""
        ...


class Registry:
    """Field scorers by name, in registration order (the order reports list fields in)."""

    def __init__(self, scorers: Sequence[FieldScorer] = ()):
        self._scorers: dict[str, FieldScorer] = {}
        for scorer in scorers:
            self.register(scorer)

    def register(self, scorer: FieldScorer, *, replace: bool = False) -> FieldScorer:
        if not isinstance(scorer, FieldScorer):
            raise TypeError(f"{scorer!r} does not implement FieldScorer (name, ground, score)")
        if scorer.name in self._scorers and not replace:
            raise ValueError(f"a scorer for field {scorer.name!r} is already registered")
        self._scorers[scorer.name] = scorer
        return scorer

    def get(self, name: str) -> FieldScorer:
        try:
            return self._scorers[name]
        except KeyError:
            known = ", ".join(self._scorers) or "none"
            raise KeyError(f"no scorer for field {name!r} (registered: {known})") from None

    def names(self) -> list[str]:
        return list(self._scorers)

    def __iter__(self) -> Iterator[FieldScorer]:
        return iter(list(self._scorers.values()))

    def __len__(self) -> int:
        return len(self._scorers)


def builtin_registry() -> Registry:
    """A fresh registry holding the four built-in field scorers: the one place they are listed."""
    from harness.scoring.claims import ClaimScorer
    from harness.scoring.dates import DateScorer
    from harness.scoring.participants import ParticipantScorer
    from harness.scoring.red_lines import RedLineScorer

    return Registry([ParticipantScorer(), DateScorer(), ClaimScorer(), RedLineScorer()])


_default: Registry | None = None


def default_registry() -> Registry:
    """The registry `score_article` uses unless given another; built on first use."""
    global _default
    if _default is None:
        _default = builtin_registry()
    return _default


def register(scorer: FieldScorer, *, replace: bool = False) -> FieldScorer:
    """Add a scorer to the default registry (replace=True to swap a built-in)."""
    return default_registry().register(scorer, replace=replace)


def get(name: str) -> FieldScorer:
    return default_registry().get(name)


def all_scorers() -> list[FieldScorer]:
    """Every scorer in the default registry (named so as not to shadow the builtin `all`)."""
    return list(default_registry())


def source(scorer: FieldScorer) -> str:
    """The `Summary` attribute a scorer reads."""
    return str(getattr(scorer, "source", scorer.name))


__all__ = [
    "FieldScorer",
    "Registry",
    "all_scorers",
    "builtin_registry",
    "default_registry",
    "get",
    "register",
]
