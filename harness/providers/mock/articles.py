"""Finding which gold article a rendered prompt contains.

The mocks must answer from the article they are sent, whatever the prompt around it and
however many articles the corpus holds, so the lookup is O(message length), not O(corpus):
each article is indexed by a sample of its normalised word 8-grams; the message's 8-grams
vote for articles, and the best-voted one is confirmed by containment of its whole
normalised text. Sampling (one gram in 4, chosen by hash) keeps the index small; any article
of more than a few dozen words still has many sampled grams.

A request names the article it was rendered from; that article is tried first (still confirmed
by containment), so near-duplicate articles, which share most of their grams, each get their
own answer, and the index is only built, on first need, for requests it does not settle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from harness.providers.base import GoldArticleLike
from harness.text import normalize_typography

SHINGLE_WORDS = 8
SAMPLE_ONE_IN = 4
VOTES_TO_CONFIRM = 3
# Samples of one article send the same message again; remembering recent answers saves
# normalising it each time.
MEMO_SIZE = 256


def _grams(words: Sequence[str]) -> Iterator[int]:
    # A generator: a lookup usually stops after the first few sampled grams.
    for j in range(len(words) - SHINGLE_WORDS + 1):
        h = hash(tuple(words[j : j + SHINGLE_WORDS]))
        if h % SAMPLE_ONE_IN == 0:
            yield h


class ArticleIndex:
    def __init__(self, articles: Sequence[GoldArticleLike]) -> None:
        # Kept as given: a store that loads articles by id (`get`) is asked for the hinted
        # article alone, so a run's mock does not hold the corpus unless the index is built.
        self.articles = articles
        lookup = getattr(articles, "get", None)
        self._get: Callable[[str], GoldArticleLike | None] = (
            self._stored(lookup) if callable(lookup) else {a.meta.id: a for a in articles}.get
        )
        self._normalized: list[str] = []
        self._by_gram: dict[int, list[int]] = {}
        # Articles too short to have a sampled gram are checked by containment alone.
        self._unindexed: list[int] = []
        self._built = False
        self._memo: dict[tuple[str, str | None], GoldArticleLike | None] = {}

    def _build(self) -> None:
        self._normalized = [normalize_typography(a.text) for a in self.articles]
        for i, text in enumerate(self._normalized):
            grams = set(_grams(text.split()))
            if not grams:
                self._unindexed.append(i)
            for gram in grams:
                self._by_gram.setdefault(gram, []).append(i)
        self._built = True

    @staticmethod
    def _stored(
        lookup: Callable[[str], GoldArticleLike],
    ) -> Callable[[str], GoldArticleLike | None]:
        def get(article_id: str) -> GoldArticleLike | None:
            try:
                return lookup(article_id)
            except KeyError:
                return None

        return get

    def __len__(self) -> int:
        return len(self.articles)

    def find(self, message: str, hint: str | None = None) -> GoldArticleLike | None:
        """The article whose whole text `message` contains, or None.

        `hint` is the id of the article the message was rendered from: when its text is in
        the message it is the answer, even if another article's text is in there too.
        """
        key = (message, hint)
        if key in self._memo:
            return self._memo[key]
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        found = self._memo[key] = self._search(message, hint)
        return found

    def _search(self, message: str, hint: str | None) -> GoldArticleLike | None:
        haystack = normalize_typography(message)
        hinted = self._get(hint) if hint is not None else None
        if hinted is not None and normalize_typography(hinted.text) in haystack:
            return hinted
        if not self._built:
            self._build()
        votes: Counter[int] = Counter()
        confirmed: set[int] = set()
        for gram in _grams(haystack.split()):
            for i in self._by_gram.get(gram, ()):
                votes[i] += 1
                # Stop at the first well-voted article that is really there (the usual case).
                if votes[i] >= VOTES_TO_CONFIRM and i not in confirmed:
                    confirmed.add(i)
                    if self._normalized[i] in haystack:
                        return self.articles[i]
        for i, _ in votes.most_common():
            if i not in confirmed and self._normalized[i] in haystack:
                return self.articles[i]
        for i in self._unindexed:
            if self._normalized[i] in haystack:
                return self.articles[i]
        return None


def last_user_message(messages: Sequence[Mapping[str, Any]]) -> str:
    """The article is in the last user turn; earlier turns may hold few-shot examples."""
    for message in reversed(messages):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):  # OpenAI content parts
                return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


__all__ = ["ArticleIndex", "last_user_message"]
