"""A gold corpus read from disk on demand, for runs too large to hold in memory.

A loaded article (text, metadata and summary as objects) takes some 45 KB, so a 10,000-article
corpus held whole is some 450 MB. A run touches each article a few times close together
(planning, its call, its scoring), so the store keeps the most recently used articles and
reads the others again when asked; a corpus that fits in the cache is read once.

It reads like `Corpus` (`root`, `sha256`, `articles`), so code written for a loaded corpus
takes either.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import overload

from harness.gold.corpus import (
    GoldArticle,
    article_dirs,
    check_ids,
    corpus_sha256,
    load_article_digested,
)

# Articles kept loaded: at most some 46 MB. Planning reads every article before the first
# call, so a corpus up to this size is read once. A larger one is read again when called and
# scored anyway, so holding many gains little: then the cache only spans the calls in flight.
DEFAULT_CACHE_SIZE = 1024
LARGE_CORPUS_CACHE_SIZE = 256


class GoldStore(Sequence[GoldArticle]):
    """The articles of `root` named by `ids`, in that order, each loaded when first used."""

    def __init__(
        self,
        root: Path,
        ids: Sequence[str],
        *,
        cache_size: int | None = None,
    ) -> None:
        self.root = root
        self.ids = tuple(ids)
        self._sha256: str | None = None
        # The sha256 of each file of the articles loaded so far: the corpus digest is taken
        # from them rather than by reading every file a second time.
        self._file_digests: dict[str, tuple[bytes, ...]] = {}
        self._cache: OrderedDict[str, GoldArticle] = OrderedDict()
        if cache_size is None:
            fits = len(self.ids) <= DEFAULT_CACHE_SIZE
            cache_size = DEFAULT_CACHE_SIZE if fits else LARGE_CORPUS_CACHE_SIZE
        self._cache_size = max(1, cache_size)
        self._known = frozenset(self.ids)
        self.loads = 0  # articles read from disk, for the benchmark and tests

    @classmethod
    def open(
        cls,
        root: Path | str,
        ids: Sequence[str] | None = None,
        *,
        cache_size: int | None = None,
    ) -> GoldStore:
        """The corpus at `root` (or its articles in `ids`); unknown ids are an error, as in
        `load_corpus`. Nothing is parsed yet: a broken article raises GoldError when used."""
        root = Path(root)
        known = [p.name for p in article_dirs(root)]
        if ids is None:
            ids = known
        else:
            check_ids(root, ids, known)
            # Corpus order, as load_corpus gives it, whatever order the ids were asked in.
            wanted = set(ids)
            ids = [i for i in known if i in wanted]
        return cls(root, ids, cache_size=cache_size)

    @property
    def sha256(self) -> str:
        """The corpus digest (`corpus_sha256`), from the files as loaded where they were; the
        others (all of them, if asked before planning) are read for it."""
        if self._sha256 is None:
            self._sha256 = corpus_sha256(self.root, self._file_digests)
            self._file_digests.clear()
        return self._sha256

    @property
    def articles(self) -> GoldStore:
        return self

    def get(self, article_id: str) -> GoldArticle:
        cache = self._cache
        article = cache.get(article_id)
        if article is not None:
            cache.move_to_end(article_id)
            return article
        if article_id not in self._known:
            raise KeyError(article_id)
        article, files = load_article_digested(self.root / article_id)
        if files is not None and self._sha256 is None:
            self._file_digests[article_id] = files
        self.loads += 1
        cache[article_id] = article
        if len(cache) > self._cache_size:
            cache.popitem(last=False)
        return article

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> GoldArticle: ...
    @overload
    def __getitem__(self, index: slice) -> list[GoldArticle]: ...
    def __getitem__(self, index: int | slice) -> GoldArticle | list[GoldArticle]:
        if isinstance(index, slice):
            return [self.get(i) for i in self.ids[index]]
        return self.get(self.ids[index])

    def __iter__(self) -> Iterator[GoldArticle]:
        for article_id in self.ids:
            yield self.get(article_id)

    def __repr__(self) -> str:
        return f"GoldStore({str(self.root)!r}, {len(self.ids)} articles)"


__all__ = ["DEFAULT_CACHE_SIZE", "GoldStore"]
