"""Prompt templates: versions load, render every variable, and bad templates fail early."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from harness.errors import InputError
from harness.prompts import load_prompt, messages_sha256

PROMPTS: Path | None = None  # no user prompts folder: the built-in prompts only


@pytest.mark.parametrize("name", ["v1", "v2"])
def test_shipped_prompts_render(name: str) -> None:
    template = load_prompt(name, PROMPTS)
    assert template.name == name
    assert len(template.sha256) == 64
    messages = template.render(
        article="BODY OF THE ARTICLE",
        published=dt.date(2024, 4, 26),
        title="Headline",
        schema={"type": "object"},
        schema_in_prompt=False,
    )
    text = "\n".join(m.content for m in messages)
    assert "BODY OF THE ARTICLE" in text
    assert "2024-04-26" in text
    assert "{{" not in text
    assert messages[-1].role == "user"


def test_versions_differ_and_hashes_are_stable() -> None:
    v1, v2 = load_prompt("v1", PROMPTS), load_prompt("v2", PROMPTS)
    assert v1.sha256 != v2.sha256
    assert load_prompt("v1", PROMPTS).sha256 == v1.sha256


def test_rendered_hash_depends_on_the_article() -> None:
    template = load_prompt("v2", PROMPTS)
    render = lambda text: template.render(  # noqa: E731
        article=text, published=dt.date(2024, 1, 1), title="t", schema={}, schema_in_prompt=False
    )
    assert messages_sha256(render("a")) != messages_sha256(render("b"))
    assert messages_sha256(render("a")) == messages_sha256(render("a"))


def test_weekday_variable(tmp_path: Path) -> None:
    path = tmp_path / "w.prompt"
    path.write_text("--- user\n{{published}} was a {{published_weekday}}.\n{{article}}\n")
    messages = load_prompt(str(path), PROMPTS).render(
        article="x", published=dt.date(2023, 6, 19), title="t", schema={}, schema_in_prompt=False
    )
    assert messages[0].content.startswith("2023-06-19 was a Monday.")


def test_schema_is_appended_when_the_model_lacks_structured_output(tmp_path: Path) -> None:
    path = tmp_path / "plain.prompt"
    path.write_text("--- system\nBe brief.\n--- user\n{{article}}\n")
    template = load_prompt(str(path), PROMPTS)
    kwargs = dict(article="x", published=dt.date(2024, 1, 1), title="t", schema={"k": 1})
    with_schema = template.render(**kwargs, schema_in_prompt=True)
    without = template.render(**kwargs, schema_in_prompt=False)
    assert '{"k": 1}' in with_schema[-1].content
    assert '{"k": 1}' not in without[-1].content


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("--- user\n{{article}} {{body}}\n", "unknown template variable {{body}}"),
        ("--- user\n{{article}} {{published\n", "malformed placeholder"),
        ("--- system\n{{article}}\n", "no '--- user' section"),
        ("just text {{article}}\n", "no sections"),
        ("--- user\nno article here\n", "never uses {{article}}"),
    ],
)
def test_bad_templates_fail_before_any_call(tmp_path: Path, source: str, message: str) -> None:
    path = tmp_path / "bad.prompt"
    path.write_text(source)
    with pytest.raises(InputError) as excinfo:
        load_prompt(str(path), PROMPTS)
    assert message in str(excinfo.value)
    assert str(path) in str(excinfo.value)


def test_unknown_variable_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.prompt"
    path.write_text("--- system\nok\n--- user\n{{article}}\n{{nope}}\n")
    with pytest.raises(InputError, match=r"bad.prompt:5: unknown template variable"):
        load_prompt(str(path), PROMPTS)


def test_missing_prompt_lists_the_available_ones() -> None:
    with pytest.raises(InputError) as excinfo:
        load_prompt("v99", PROMPTS)
    assert "prompt 'v99' not found" in str(excinfo.value)
    assert "v1, v2" in str(excinfo.value)
