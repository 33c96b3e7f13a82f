"""GoldStore: the corpus read on demand, equal to the loaded one, holding a bounded number."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import build_corpus
from harness.gold import GoldError, load_corpus
from harness.gold.store import GoldStore
from harness.providers.mock.articles import ArticleIndex
from tests.conftest import GOLD


@pytest.fixture(scope="module")
def replicated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gold") / "gold-6"
    build_corpus(GOLD, root, 6)
    return root


def test_store_reads_the_same_articles_in_the_same_order_as_load_corpus(replicated: Path) -> None:
    loaded = load_corpus(replicated)
    store = GoldStore.open(replicated)
    assert store.sha256 == loaded.sha256
    assert store.ids == tuple(a.id for a in loaded.articles)
    assert list(store) == list(loaded.articles)
    assert store[2] == loaded.articles[2]
    assert store[-1] == loaded.articles[-1]
    assert store[1:3] == list(loaded.articles[1:3])


def test_ids_are_kept_in_corpus_order_and_unknown_ids_are_named(replicated: Path) -> None:
    ids = list(GoldStore.open(replicated).ids)
    store = GoldStore.open(replicated, [ids[3], ids[0]])
    assert store.ids == (ids[0], ids[3])
    with pytest.raises(GoldError, match="no article with id 'nope'"):
        GoldStore.open(replicated, ["nope", ids[0]])


def test_nothing_is_read_until_used_and_the_cache_is_bounded(replicated: Path) -> None:
    store = GoldStore.open(replicated, cache_size=2)
    assert store.loads == 0
    first = store.ids[0]
    store.get(first)
    store.get(first)
    assert store.loads == 1
    list(store)
    list(store)
    # The first article was still cached; every other read is a load once the cache is full.
    assert store.loads == 2 * len(store)
    assert len(store._cache) == 2
    with pytest.raises(KeyError):
        store.get("not-an-article")


def test_broken_gold_raises_when_its_article_is_read(tmp_path: Path) -> None:
    root = tmp_path / "gold"
    build_corpus(GOLD, root, 2)
    victim = sorted(p for p in root.iterdir())[1]
    (victim / "summary.json").write_text("{ not json", encoding="utf-8")
    store = GoldStore.open(root)
    store.get(store.ids[0])
    with pytest.raises(GoldError) as error:
        list(store)
    assert "summary.json" in str(error.value.problems[0].file)


def test_the_mock_reads_only_the_article_a_request_names(replicated: Path) -> None:
    store = GoldStore.open(replicated, cache_size=1)
    index = ArticleIndex(store)
    article = store[4]
    loads = store.loads
    message = f"Summarise this.\n\n{article.text}\n"
    assert index.find(message, hint=article.id) == article
    assert store.loads - loads <= 1
    assert index.find(message, hint=None) == article  # no hint: the gram index is built


def test_the_corpus_digest_from_loaded_files_equals_reading_them_all(replicated: Path) -> None:
    expected = load_corpus(replicated).sha256
    store = GoldStore.open(replicated)
    list(store)  # planning: every file read once, and hashed as read
    assert store.sha256 == expected
    subset = GoldStore.open(replicated, list(store.ids[:2]))
    list(subset)  # the other articles' files are read for the digest
    assert subset.sha256 == expected
