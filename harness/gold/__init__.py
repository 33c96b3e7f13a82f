"""The gold corpus: loading, validating and scaffolding annotated articles."""

from harness.gold.corpus import (
    Corpus,
    GoldArticle,
    article_dirs,
    corpus_sha256,
    gold_digest,
    iter_corpus,
    load_article,
    load_corpus,
)
from harness.gold.problems import GoldError, Problem
from harness.gold.validate import validate_corpus

__all__ = [
    "Corpus",
    "GoldArticle",
    "GoldError",
    "Problem",
    "article_dirs",
    "corpus_sha256",
    "gold_digest",
    "iter_corpus",
    "load_article",
    "load_corpus",
    "validate_corpus",
]
