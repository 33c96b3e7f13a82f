"""The scoring configuration: one documented model, recorded in every report."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from harness.scoring import ScoringConfig
from tests.scoring.articles import gold_summary, score


def _sections(model: type[BaseModel]) -> list[tuple[str, type[BaseModel]]]:
    found = [(model.__name__, model)]
    for field in model.model_fields.values():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found += _sections(annotation)
    return found


@pytest.mark.parametrize(("name", "section"), _sections(ScoringConfig)[1:])
def test_every_setting_is_documented(name: str, section: type[BaseModel]) -> None:
    for key, field in section.model_fields.items():
        assert field.description, f"{name}.{key} has no description"


def test_defaults_round_trip_and_have_a_stable_id() -> None:
    config = ScoringConfig()
    again = ScoringConfig.model_validate_json(config.model_dump_json())
    assert again == config and again.config_id() == config.config_id()
    assert len(config.config_id()) == 12


def test_the_id_changes_with_any_setting_but_not_with_weight_order() -> None:
    base = ScoringConfig()
    changed = ScoringConfig.model_validate({"dates": {"coarser_credit": 0.25}})
    assert changed.config_id() != base.config_id()
    reordered = ScoringConfig.model_validate(
        {"overall": {"weights": dict(reversed(list(base.overall.weights.items())))}}
    )
    assert reordered.config_id() == base.config_id()


@pytest.mark.parametrize(
    "bad",
    [
        {"claims": {"content_threshold": 1.5}},
        {"dates": {"coarser_credit": -0.1}},
        {"overall": {"weights": {"claims": 0.0}}},
        {"overall": {"metric": "accuracy"}},
        {"claims": {"content_treshold": 0.5}},  # a typo is an error, not a silent default
    ],
)
def test_invalid_settings_are_refused(bad: dict) -> None:
    with pytest.raises(ValidationError):
        ScoringConfig.model_validate(bad)


def test_every_article_score_names_its_config() -> None:
    config = ScoringConfig.model_validate({"claims": {"content_threshold": 0.6}})
    assert score(gold_summary(), config=config).config_id == config.config_id()


def test_the_date_credits_come_from_the_config() -> None:
    gold = gold_summary()
    dates = [gold.dates[0].model_copy(update={"date": "2024-03"}), *gold.dates[1:]]
    config = ScoringConfig.model_validate({"dates": {"coarser_credit": 0.25}})
    result = score(gold.model_copy(update={"dates": dates}), config=config)
    assert result.fields["dates"].soft_tp == pytest.approx(len(dates) - 0.75)
