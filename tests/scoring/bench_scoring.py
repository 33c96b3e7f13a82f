"""How fast is scoring? Run by hand, not by pytest (a timed test would be flaky on CI):

    .venv/bin/python -m tests.scoring.bench_scoring [n_articles]

Scores n (default 1,000) perturbed copies of the hand-made article, each with its own text so
no per-article cache is reused, and pools them; prints the time per article and per hundred.
"""

from __future__ import annotations

import random
import sys
import time

from harness.scoring import Aggregator, ScoringConfig, score_article
from harness.summary import Summary
from tests.scoring.articles import PUBLISHED, TEXT, gold_summary


def perturbed(gold: Summary, rng: random.Random) -> Summary:
    """Drop, shuffle and shift items, as a model's output would differ from gold."""
    update = {}
    for field in ("participants", "dates", "claims", "red_lines"):
        items = [i for i in getattr(gold, field) if rng.random() > 0.2]
        rng.shuffle(items)
        update[field] = items
    update["dates"] = [
        d.model_copy(update={"date": d.date[:7]}) if rng.random() < 0.3 else d
        for d in update["dates"]
    ]
    return gold.model_copy(update=update)


def main(n: int) -> None:
    rng = random.Random(0)
    gold = gold_summary()
    config = ScoringConfig()
    preds = [perturbed(gold, rng) for _ in range(n)]
    texts = [f"{TEXT}\nRef {k}." for k in range(n)]
    score_article(gold, gold, article_id="warm-up", text=TEXT, published=PUBLISHED)
    start = time.perf_counter()
    totals = Aggregator(config)
    for k, (pred, text) in enumerate(zip(preds, texts, strict=True)):
        totals.add(
            score_article(
                gold, pred, article_id=f"a{k}", text=text, published=PUBLISHED, config=config
            )
        )
    corpus = totals.result()
    elapsed = time.perf_counter() - start
    per_article = elapsed / n
    print(
        f"{n} articles in {elapsed:.2f} s: {per_article * 1000:.2f} ms per article, "
        f"{per_article * 100:.3f} s per hundred; overall macro {corpus.overall.macro:.3f}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
