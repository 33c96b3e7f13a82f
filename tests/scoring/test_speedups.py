"""The scorer's fast paths give exactly what the plain code they replace gave.

Each speed-up (a rewritten regex, a filter before a regex, a cache, records built without
validation) is checked here against a reference: the plain version, kept in this file, run on
the gold corpus, the hand-made article and random strings built from the pieces that matter
(date words, country names, dotted acronyms, negations, odd Unicode such as "ı" and "İ").
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import random
import re
from collections import Counter

import numpy as np
import pytest

from harness.gold import load_corpus
from harness.scoring import (
    ArticleScore,
    ScoringConfig,
    dateresolve,
    grounding,
    names,
    score_article,
    tokens,
)
from harness.scoring.content import compare_statements, polarity_conflict
from harness.scoring.context import ArticleContext, entity_matrix, text_analyses
from harness.scoring.judge import MockJudge
from harness.scoring.tokens import (
    DEMONYMS,
    NEGATION_CUES,
    STOPWORDS,
    UNIFORM,
    WHOLE_NEGATION_CUE,
    StemWeights,
    analyse,
    article_lexicon,
    stem,
)
from harness.summary import Summary
from harness.text import normalize_typography
from tests.conftest import GOLD
from tests.scoring.articles import PUBLISHED, TEXT, gold_summary

_WORDS = """
    jan mon month may May March Monday Tues Sept sept today tonight day days ago week fortnight
    year years 2024 26 3 1999 in last next coming this of the it's Xi's U.S. U.S.A. U.K E.U.
    P.R.C. US us America Britain a.b.c. A.B. x.Y.z 3.5 Jan.
"""
PIECES = [
    *_WORDS.split(),
    "United States", "can't", "won't", "doesn't", "cannot", "not", "never", "no", "rather than",
    "instead of", "it is not the case that", "it is false that", "true", "but", "although",
    "american", "chinese", "european union", "prc", "refuses", "stop",
    "\n", "\n\n", ". ", "! ", "?", "...", ".", ",", ";", "(", ")", '"', "'", "-", "_", "/",
    "ı", "İ", "é", "٣", "²", "ſ", "K", "ß", " ", "  ", "\t", "\u00a0",
]  # fmt: skip


def _texts() -> list[str]:
    corpus = load_corpus(GOLD)
    return [normalize_typography(a.text) for a in corpus.articles] + [normalize_typography(TEXT)]


def random_strings(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    words = sorted({w for t in _texts() for w in t.split()})
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(0, 20)):
            r = rng.random()
            if r < 0.45:
                parts.append(rng.choice(PIECES))
            elif r < 0.8:
                parts.append(rng.choice(words))
            else:
                parts.append("".join(rng.choice("aAjJmMnNsS0129 .-'\nıİ_") for _ in range(3)))
            parts.append(rng.choice(["", " ", " ", ", ", ". ", "\n", "-"]))
        text = "".join(parts)
        out.append(text.lower() if rng.random() < 0.3 else text)
    return out


STRINGS = random_strings(1500)
SAMPLES = STRINGS + _texts()


# --- rewritten regexes ----------------------------------------------------------------------


def test_sentence_split_is_the_plain_pattern() -> None:
    plain = re.compile(r"[.!?]+\s+|\n+")
    for s in SAMPLES:
        assert tokens._SENTENCE.split(s) == plain.split(s)


def test_acronym_dots_are_removed_as_by_the_whole_acronym_pattern() -> None:
    whole = re.compile(r"[A-Za-z](?<!\w[A-Za-z])\.(?:[A-Za-z]\.)+")
    for s in SAMPLES:
        expected = whole.sub(lambda m: m.group(0).replace(".", ""), s)
        assert names._ACRONYM_DOTS.sub(names._undot, s) == expected


def test_date_triggers_are_the_plain_pattern() -> None:
    for s in SAMPLES:
        for text in (s, s.lower()):
            expected = [m.span() for m in dateresolve._TRIGGER.finditer(text)]
            assert dateresolve._triggers(text) == expected


def _find_dates_plain(text: str, published: dt.date | None) -> list[tuple]:
    """find_dates without the per-segment rule filters: every rule on every segment."""
    text = normalize_typography(text)
    lowered = text.lower()
    rules = [
        r
        for r in dateresolve._compiled(True)
        if not (published is None and r.relative) and r.may_match(lowered)
    ]
    base = published or dt.date.min
    out = []
    for seg_start, seg_end in dateresolve._segments(text, lowered):
        taken: list[tuple[int, int]] = []
        for rule in rules:
            for match in rule.pattern.finditer(text, seg_start, seg_end):
                start, end = match.span()
                if any(s < end and start < e for s, e in taken):
                    continue
                values = rule.handler(match, base, "any")
                if values:
                    taken.append((start, end))
                    out.append((start, end, match.group(0), tuple(values)))
    return out


@pytest.mark.parametrize("published", [dt.date(2024, 4, 26), None])
def test_find_dates_filters_change_nothing(published: dt.date | None) -> None:
    for s in SAMPLES:
        found = [(f.start, f.end, f.text, f.values) for f in dateresolve.find_dates(s, published)]
        assert found == _find_dates_plain(s, published)


def test_name_search_in_ascii_text_is_the_case_insensitive_search() -> None:
    texts = [t for t in SAMPLES if t.isascii()]
    rng = random.Random(1)
    for text in texts[:400]:
        words = names.name_words(text)
        for _ in range(5):
            if not words:
                break
            k = rng.randrange(len(words))
            name = tuple(words[k : k + rng.randint(1, 3)])
            if not all(w.isascii() for w in name):
                continue
            plain = re.search(grounding._name_pattern(name), text, re.IGNORECASE)
            fast = grounding._lower_name_regex(name).search(text.lower())
            assert (plain and plain.span()) == (fast and fast.span())


# --- tokens -----------------------------------------------------------------------------------


def _canonical_plain(tokens_: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens_):
        if tokens_[i] not in tokens._PLACE_STARTS:
            out.append(DEMONYMS.get(tokens_[i], tokens_[i]))
            i += 1
            continue
        for size in range(min(tokens._LONGEST_PLACE, len(tokens_) - i), 0, -1):
            place = tokens._PLACE_WORDS.get(tuple(tokens_[i : i + size]))
            if place:
                out.append(place)
                i += size
                break
        else:
            out.append(DEMONYMS.get(tokens_[i], tokens_[i]))
            i += 1
    return out


def test_canonical_words_is_the_plain_loop() -> None:
    for s in SAMPLES:
        words = names.name_words(s)
        assert tokens.canonical_words(words) == _canonical_plain(words)


def _analyse_plain(text: str, negation_scope: int) -> tokens.Analysis:
    stems: set[str] = set()
    negated: set[str] = set()
    negations = 0
    for clause in tokens._CLAUSE_BREAK.split(tokens._prepare(text)):
        scope_left = 0
        for word in tokens._tokens(clause):
            if word == WHOLE_NEGATION_CUE:
                negations += 1
                scope_left = -1
                continue
            if word in NEGATION_CUES:
                negations += 1
                scope_left = negation_scope
            if word in STOPWORDS:
                continue
            s = stem(word)
            stems.add(s)
            if scope_left and word not in NEGATION_CUES:
                negated.add(s)
                scope_left -= 1
    return tokens.Analysis(frozenset(stems), negations, frozenset(negated))


@pytest.mark.parametrize("scope", [1, 3])
def test_analyse_is_the_plain_loop_down_to_the_order_of_its_stems(scope: int) -> None:
    # The order matters: weighted Dice sums the weights of a set in its own order.
    for s in SAMPLES:
        fast, plain = analyse.__wrapped__(s, scope), _analyse_plain(s, scope)
        assert fast == plain
        assert list(fast.stems) == list(plain.stems)


def _lexicon_plain(text: str) -> tuple[frozenset[str], StemWeights]:
    df: Counter[str] = Counter()
    n = 0
    for sentence in tokens._SENTENCE.split(tokens._prepare(text)):
        stems = {stem(w) for w in tokens._tokens(sentence) if w not in STOPWORDS}
        if stems:
            n += 1
            df.update(stems)
    if n == 0:
        return frozenset(), StemWeights()
    table = {s: math.log(1 + n / (1 + count)) for s, count in df.items()}
    return frozenset(df), StemWeights(table=table, default=math.log(1 + n / 2))


def test_article_lexicon_is_the_plain_loop() -> None:
    for s in SAMPLES:
        (stems, weights), (plain_stems, plain_weights) = article_lexicon(s), _lexicon_plain(s)
        assert stems == plain_stems
        assert dict(weights.table) == dict(plain_weights.table)
        assert weights.default == plain_weights.default


# --- pair matrices ----------------------------------------------------------------------------


def _compare_plain(gold, pred, texts, *, polarity_guard, weights, judge=None, threshold=0.0,
                   judge_pairs=None):  # fmt: skip
    shape = (len(gold), len(pred))
    lexical, sim, judged = np.zeros(shape), np.zeros(shape), np.zeros(shape, dtype=bool)
    conflict = [[frozenset()] * shape[1] for _ in range(shape[0])]
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            shared = g.stems & p.stems
            total = weights.total(g.stems) + weights.total(p.stems)
            lex = 2 * weights.total(shared) / total if shared and total else 0.0
            lexical[i, j] = lex
            if judge is not None:
                asked = judge_pairs is not None and judge_pairs[i, j]
                if asked or (lex >= threshold and lex > 0):
                    judged[i, j] = True
                    same = judge.same_proposition(texts[0][i], texts[1][j]) and (
                        judge.same_proposition(texts[1][j], texts[0][i])
                    )
                    sim[i, j] = 1.0 if same else 0.0
                continue
            if polarity_guard and lex > 0:
                clash = polarity_conflict(g, p)
                if clash:
                    conflict[i][j] = clash
                    continue
            sim[i, j] = lex
    return sim, lexical, conflict, judged


def _statements(seed: int) -> list[str]:
    rng = random.Random(seed)
    gold = gold_summary()
    pool = [c.claim for c in gold.claims] + [r.position for r in gold.red_lines]
    pool += [d.event for d in gold.dates]
    out = []
    for _ in range(rng.randint(0, 12)):
        words = rng.choice(pool).split()
        if rng.random() < 0.5:
            words.insert(rng.randrange(len(words) + 1), rng.choice(["not", "never", "refuses"]))
        if rng.random() < 0.3:
            words = words[: rng.randint(1, len(words))]
        out.append(" ".join(words))
    return out


@pytest.mark.parametrize("judged", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_compare_statements_is_the_plain_loop(judged: bool, weighted: bool) -> None:
    weights = StemWeights.from_text(TEXT) if weighted else UNIFORM
    for seed in range(60):
        gold_texts, pred_texts = _statements(seed), _statements(1000 + seed)
        gold = [analyse(t) for t in gold_texts]
        pred = [analyse(t) for t in pred_texts]
        rule = MockJudge(lambda a, b: len(a) % 3 == len(b) % 3)
        plain_judge = MockJudge(lambda a, b: len(a) % 3 == len(b) % 3)
        pairs = np.random.default_rng(seed).random((len(gold), len(pred))) < 0.3
        kwargs = {"judge_pairs": pairs} if judged else {}
        got = compare_statements(
            gold, pred, (gold_texts, pred_texts), polarity_guard=True, weights=weights,
            judge=rule if judged else None, judge_candidate_threshold=0.2, **kwargs,
        )  # fmt: skip
        sim, lexical, conflict, was_judged = _compare_plain(
            gold, pred, (gold_texts, pred_texts), polarity_guard=True, weights=weights,
            judge=plain_judge if judged else None, threshold=0.2, **kwargs,
        )  # fmt: skip
        assert got.sim.shape == sim.shape and got.sim.dtype == sim.dtype
        assert got.sim.tolist() == sim.tolist()
        assert got.lexical.tolist() == lexical.tolist()
        assert got.judged.tolist() == was_judged.tolist()
        assert got.conflict == conflict
        assert rule.calls == plain_judge.calls  # the same questions, in the same order


def test_entity_matrix_is_same_entity_cell_by_cell() -> None:
    gold = gold_summary()
    ctx = ArticleContext(article_id="a", config=ScoringConfig(), gold=gold, text=TEXT)
    rng = random.Random(3)
    surfaces = [s for p in gold.participants for s in (p.name, *p.aliases)]
    surfaces += ["Lin", "Kell", "Veloria", "Norland", "the minister", "Nobody at all"]
    for n_gold, n_pred in [(0, 3), (3, 0), (1, 1), (6, 4), (12, 9)]:
        g = [rng.choice(surfaces) for _ in range(n_gold)]
        p = [rng.choice(surfaces) for _ in range(n_pred)]
        got = entity_matrix(ctx, g, p)
        assert got.shape == (n_gold, n_pred) and got.dtype == bool
        expected = [[ctx.same_entity(a, b).matched for b in p] for a in g]
        assert got.tolist() == expected


# --- records and caches -----------------------------------------------------------------------


def _scores() -> list[ArticleScore]:
    rng = random.Random(5)
    corpus = load_corpus(GOLD)
    cases = [(gold_summary(), TEXT, PUBLISHED)]
    cases += [(a.summary, a.text, a.meta.published) for a in corpus.articles]
    out = []
    for gold, text, published in cases:
        preds: list[Summary | None] = [gold, None]
        for _ in range(4):
            update = {}
            for field in ("participants", "dates", "claims", "red_lines"):
                items = [i for i in getattr(gold, field) if rng.random() > 0.3]
                rng.shuffle(items)
                update[field] = items
            # Coarser dates and other positions: credits and components that are not 0 or 1.
            update["dates"] = [
                d.model_copy(update={"date": d.date[:7]}) if rng.random() < 0.5 else d
                for d in update["dates"]
            ]
            update["red_lines"] = [
                r.model_copy(update={"position": f"{r.position} and more besides"})
                if rng.random() < 0.5
                else r
                for r in update["red_lines"]
            ]
            preds.append(gold.model_copy(update=update))
        for pred in preds:
            out.append(score_article(gold, pred, article_id="a", text=text, published=published))
            out.append(score_article(gold, pred, article_id="a"))
        out.append(score_article(None, gold, article_id="a", text=text, published=published))
    return out


def test_records_built_without_validation_are_what_validation_makes() -> None:
    scores = _scores()
    similarities = {e.similarity for a in scores for f in a.fields.values() for e in f.explanations}
    assert similarities - {0.0, 1.0}  # the cases reach rounding, not only 0 and 1
    for score in scores:
        validated = ArticleScore.model_validate(score.model_dump())
        # repr shows each value's type (np.float64(0.5) is not 0.5), so this is strict.
        assert repr(validated) == repr(score)
        assert validated.model_dump_json() == score.model_dump_json()


def test_the_text_analyses_of_one_article_are_shared_by_its_samples() -> None:
    a = ArticleContext(article_id="a", config=ScoringConfig(), text=TEXT, published=PUBLISHED)
    b = ArticleContext(article_id="a", config=ScoringConfig(), text=TEXT, published=None)
    assert a._text is b._text is text_analyses(TEXT)
    assert a.norm_text == normalize_typography(TEXT)
    # "on Tuesday" is a date only given the publication date (a Thursday).
    assert "2024-03-12" in a.article_dates
    assert "2024-03-12" not in b.article_dates


def test_scoring_leaves_the_garbage_collector_as_it_found_it() -> None:
    gold = gold_summary()
    assert gc.isenabled()
    score_article(gold, gold, article_id="a", text=TEXT, published=PUBLISHED)
    assert gc.isenabled()
    gc.disable()
    try:
        score_article(gold, gold, article_id="a", text=TEXT, published=PUBLISHED)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(AttributeError):
        score_article(gold, "not a summary", article_id="a", text=TEXT)  # type: ignore[arg-type]
    assert gc.isenabled()
