"""Empty-set rules, failed predictions, and pooling article scores into a corpus score."""

from __future__ import annotations

import pytest

from harness.scoring import Aggregator, ScoringConfig, aggregate, score_article
from harness.summary import Participant, Summary
from tests.scoring.articles import gold_summary, score

FIELDS = ("participants", "dates", "claims", "red_lines")


def test_gold_and_prediction_both_empty_is_perfect() -> None:
    result = score(Summary(), gold=Summary())
    for field in result.fields.values():
        assert (field.precision, field.recall, field.f1, field.soft_f1) == (1.0, 1.0, 1.0, 1.0)
    assert result.overall == 1.0


def test_a_prediction_against_empty_gold_scores_zero() -> None:
    pred = Summary(participants=[Participant(name="Marta Kell", kind="person")])
    field = score(pred, gold=Summary()).fields["participants"]
    assert (field.precision, field.recall, field.f1) == (0.0, 0.0, 0.0)


def test_an_empty_prediction_against_gold_scores_zero() -> None:
    field = score(Summary()).fields["participants"]
    assert (field.precision, field.recall, field.f1) == (0.0, 0.0, 0.0)
    assert {e.label for e in field.explanations} == {"omission"}


def test_a_missing_prediction_scores_zero_everywhere_even_on_empty_gold_fields() -> None:
    gold = gold_summary().model_copy(update={"red_lines": []})
    result = score(None, gold=gold)
    assert result.prediction_missing
    assert result.grounding == {}
    assert result.overall == 0.0
    for field in result.fields.values():
        assert (field.precision, field.recall, field.f1, field.soft_f1) == (0.0,) * 4
        assert field.n_pred == 0
    assert len(result.fields["claims"].explanations) == len(gold.claims)
    assert {e.label for e in result.fields["claims"].explanations} == {"omission"}


def test_no_gold_and_no_prediction() -> None:
    result = score_article(None, None, article_id="nothing")
    assert result.fields == {} and result.overall is None and result.grounding == {}


def _two_articles() -> tuple:
    gold_a = gold_summary()
    gold_b = Summary(participants=gold_summary().participants[:2])
    a = score(gold_a)  # perfect
    b = score(Summary(), gold=gold_b)  # nothing predicted
    return a, b, gold_a, gold_b


def test_micro_pools_counts_and_macro_averages_articles() -> None:
    a, b, gold_a, _ = _two_articles()
    corpus = aggregate([a, b])
    participants = corpus.fields["participants"]
    n_a = len(gold_a.participants)
    assert participants.counts.n_gold == n_a + 2
    assert participants.counts.tp == n_a
    assert participants.micro.recall == pytest.approx(n_a / (n_a + 2))
    assert participants.micro.precision == 1.0
    assert participants.macro.recall == pytest.approx(0.5)
    assert participants.macro.precision == pytest.approx(0.5)  # article b: 0 by the empty rule
    # Fields gold leaves empty in b and b's prediction leaves empty too: perfect in b.
    assert corpus.fields["dates"].macro.f1 == 1.0
    assert corpus.n_articles == corpus.n_scored == 2
    assert corpus.overall.macro == pytest.approx((1.0 + b.overall) / 2)
    assert b.overall == pytest.approx(0.75)  # three perfect empty fields, one at 0


def test_aggregate_streams_a_generator_and_records_the_config() -> None:
    a, b, _, _ = _two_articles()
    config = ScoringConfig()
    corpus = aggregate((s for s in [a, b, a]), config)
    assert corpus.n_articles == 3
    assert corpus.config == config
    assert corpus.config_id == config.config_id() == a.config_id


def test_the_aggregator_gives_a_result_at_any_point() -> None:
    a, b, _, _ = _two_articles()
    totals = Aggregator()
    totals.add(a)
    assert totals.result().overall.macro == 1.0
    totals.add(b)
    assert totals.result().overall.macro < 1.0


def test_scores_under_other_settings_do_not_pool() -> None:
    a, _, _, _ = _two_articles()
    other = ScoringConfig.model_validate({"claims": {"content_threshold": 0.5}})
    with pytest.raises(ValueError, match="different settings"):
        aggregate([a], other)


def test_extra_metrics_pool_micro_and_average_macro() -> None:
    gold = Summary(claims=gold_summary().claims[:2])
    swapped = gold.model_copy(
        update={
            "claims": [
                gold.claims[0].model_copy(update={"speaker": gold.claims[1].speaker}),
                gold.claims[1].model_copy(update={"speaker": gold.claims[0].speaker}),
            ]
        }
    )
    perfect, bad = score(gold_summary()), score(swapped, gold=gold)
    corpus = aggregate([perfect, bad])
    attribution = corpus.fields["claims"].extra["attribution_accuracy"]
    n = len(gold_summary().claims)
    assert attribution.macro == pytest.approx(0.5)
    assert attribution.micro == pytest.approx(n / (n + 2))


def test_labels_are_counted_and_grounding_is_pooled() -> None:
    gold = gold_summary()
    extra = Participant(name="Olaf Brandt", kind="person")
    with_invention = score(gold.model_copy(update={"participants": [*gold.participants, extra]}))
    corpus = aggregate([score(gold), with_invention])
    assert corpus.fields["participants"].labels["hallucination"] == 1
    grounding = corpus.grounding["participants"]
    n = len(gold.participants)
    assert grounding.n_items == 2 * n + 1 and grounding.n_ungrounded == 1
    assert grounding.rate == pytest.approx(1 / (2 * n + 1))
    assert grounding.macro_rate == pytest.approx((0 + 1 / (n + 1)) / 2)


def test_missing_predictions_are_counted() -> None:
    corpus = aggregate([score(None), score(gold_summary())])
    assert corpus.n_missing_predictions == 1
    assert corpus.fields["claims"].macro.f1 == 0.5


def test_overall_weights_and_metric_follow_the_config() -> None:
    gold = gold_summary()
    dates = [gold.dates[0].model_copy(update={"date": "2024-03"}), *gold.dates[1:]]
    pred = gold.model_copy(update={"dates": dates})
    soft = ScoringConfig.model_validate({"overall": {"metric": "soft_f1"}})
    dates_only = ScoringConfig.model_validate({"overall": {"weights": {"dates": 1.0}}})
    assert score(pred).overall == 1.0  # hard F1 counts the coarse date as found
    result = score(pred, config=soft)
    assert result.overall == pytest.approx((3 + result.fields["dates"].soft_f1) / 4)
    assert score(pred, config=dates_only).overall == 1.0
