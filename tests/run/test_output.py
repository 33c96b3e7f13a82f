"""Model output is untrusted: every shape of bad answer gets a status and a reason."""

from __future__ import annotations

import json

import pytest

from harness.output import parse_output

GOOD = {
    "participants": [{"name": "Jane Roe", "aliases": [], "kind": "person"}],
    "dates": [{"event": "talks", "date": "2024-06-03"}],
    "claims": [{"speaker": "Jane Roe", "claim": "no blockade", "quote": None}],
    "red_lines": [],
}


def test_clean_json_is_ok() -> None:
    parsed = parse_output(json.dumps(GOOD))
    assert parsed.status == "ok"
    assert parsed.summary is not None
    assert parsed.summary.participants[0].name == "Jane Roe"


@pytest.mark.parametrize(
    "raw",
    [
        "```json\n" + json.dumps(GOOD) + "\n```",
        "Here is the summary:\n" + json.dumps(GOOD) + "\nLet me know if you need more.",
        "```\n" + json.dumps(GOOD, indent=2) + "\n```\nDone.",
    ],
)
def test_json_inside_prose_or_fences_is_recovered(raw: str) -> None:
    parsed = parse_output(raw)
    assert parsed.status == "repaired"
    assert parsed.summary is not None and len(parsed.summary.claims) == 1
    assert any("extracted" in w for w in parsed.warnings)


def test_extra_fields_are_ignored_and_reported() -> None:
    data = {**GOOD, "confidence": 0.9}
    data["claims"] = [{**GOOD["claims"][0], "certainty": "high"}]
    parsed = parse_output(json.dumps(data))
    assert parsed.status == "repaired"
    assert "$.confidence: unexpected key ignored" in parsed.warnings
    assert "$.claims[0].certainty: unexpected key ignored" in parsed.warnings


def test_empty_object_is_an_empty_summary_said_to_be_incomplete() -> None:
    parsed = parse_output("{}")
    assert parsed.status == "incomplete"
    assert parsed.summary is not None and parsed.summary.participants == []
    assert len(parsed.errors) == 4


def test_a_missing_list_is_said_so_and_the_rest_is_still_scored() -> None:
    # What SmolLM2 under a grammar answered when the schema required nothing.
    raw = '{"dates": [{"event": "Talks", "date": "2024-04-26", "text": null, "future": false}]}'
    parsed = parse_output(raw)
    assert parsed.status == "incomplete"
    assert parsed.summary is not None and len(parsed.summary.dates) == 1
    assert parsed.errors == [
        "$.participants: missing (scored as an empty list)",
        "$.claims: missing (scored as an empty list)",
        "$.red_lines: missing (scored as an empty list)",
    ]
    complete = '{"participants": [], "dates": [], "claims": [], "red_lines": []}'
    assert parse_output(complete).status == "ok"


def test_the_schema_models_receive_requires_the_four_lists() -> None:
    from harness import schemas

    schema = schemas.load("summary.schema.json")
    assert schema["required"] == ["participants", "dates", "claims", "red_lines"]


@pytest.mark.parametrize(
    ("raw", "status", "reason"),
    [
        ("", "empty", "no text"),
        ("I cannot help with that.", "unparseable", "no JSON object"),
        ('{"participants": [{"name": "Jane', "unparseable", "no JSON object"),
        ("[1, 2]", "invalid", "expected a JSON object, got list"),
        ('{"claims": "none"}', "invalid", "$.claims: expected a list, got str"),
        ('{"claims": [{"speaker": 3, "claim": "x"}]}', "invalid", "$.claims[0].speaker"),
        ('{"dates": [{"event": "x", "date": "26 April"}]}', "invalid", "$.dates[0].date"),
    ],
)
def test_unusable_answers_count_as_empty(raw: str, status: str, reason: str) -> None:
    parsed = parse_output(raw)
    assert parsed.status == status
    assert parsed.summary is None
    assert any(reason in e for e in parsed.errors), parsed.errors


def test_truncated_answer_is_labelled_as_such() -> None:
    parsed = parse_output('{"participants": [{"name": "Ja', truncated=True)
    assert parsed.status == "truncated"
    assert "max_tokens" in parsed.errors[0]


def test_huge_answer_is_handled_and_errors_are_bounded() -> None:
    bad_claims = [{"speaker": i, "claim": "x"} for i in range(5000)]
    raw = json.dumps({"claims": bad_claims})
    assert len(raw) > 100_000
    parsed = parse_output(raw)
    assert parsed.status == "invalid"
    assert len(parsed.errors) == 21
    assert parsed.errors[-1].startswith("... and 4980 more errors")


def test_one_megabyte_answer_of_prose() -> None:
    parsed = parse_output("word " * 210_000)
    assert parsed.status == "unparseable"


def test_dates_written_as_text_are_resolved_against_publication() -> None:
    import datetime as dt

    raw = json.dumps(
        {
            "dates": [
                {"event": "meeting", "date": "Friday"},
                {"event": "summit", "date": "last November"},
            ],
            **{name: [] for name in ("participants", "claims", "red_lines")},
        }
    )
    parsed = parse_output(raw, published=dt.date(2024, 4, 26))
    assert parsed.status == "repaired"
    assert parsed.summary is not None
    assert [d.date for d in parsed.summary.dates] == ["2024-04-26", "2023-11"]
    assert parsed.summary.dates[0].text == "Friday"
    assert any("'Friday' resolved to 2024-04-26" in w for w in parsed.warnings)
    # Without a publication date there is nothing to resolve against: invalid.
    assert parse_output(raw).status == "invalid"
