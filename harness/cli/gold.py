"""`evalsum gold ...`: manage the gold corpus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from harness.cli.options import gold_option, prompts_dir_option


@click.group()
def gold() -> None:
    """Manage gold articles."""


@gold.command("new")
@click.argument("article", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--published",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Publication date (YYYY-MM-DD); relative dates in the text resolve against it.",
)
@click.option("--id", "article_id", help="Article id (default: derived from the file name).")
@click.option("--title", help="Headline (default: the text's first line).")
@click.option("--publisher", help="Publisher (default: 'unknown').")
@gold_option
def new(
    article: Path,
    published: dt.datetime,
    article_id: str | None,
    title: str | None,
    publisher: str | None,
    gold_dir: Path,
) -> None:
    """Scaffold gold/<id>/ from ARTICLE (a UTF-8 text file) with an empty summary to annotate."""
    from harness.gold.scaffold import scaffold_article

    folder = scaffold_article(
        article, gold_dir, published.date(), article_id, title=title, publisher=publisher
    )
    click.echo(f"created {folder}/")
    # The hint repeats the --gold it was given, so that it can be pasted as it is.
    validate = "evalsum validate" + ("" if gold_dir == Path("gold") else f" --gold {gold_dir}")
    click.echo(
        f"  next: check {folder}/meta.json, annotate {folder}/summary.json "
        f"(guidelines: gold/README.md), then run: {validate}"
    )


@gold.command("agreement")
@gold_option
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if AGREEMENT.md is not what the annotations give (for CI).",
)
def agreement(gold_dir: Path, check: bool) -> None:
    """Measure inter-annotator agreement per field and write it to <gold>/AGREEMENT.md.

    Articles with a second.json are double-annotated: the second annotation is scored as a
    prediction against the first (before adjudication: first.json when present) and against
    the gold summary.json (after adjudication)."""
    from harness.errors import InputError
    from harness.gold import load_corpus
    from harness.gold.agreement import AGREEMENT_FILE, measure, render_markdown

    corpus = load_corpus(gold_dir)
    result = measure(gold_dir, corpus.articles)
    if result is None:
        raise InputError(
            f"no double-annotated article in {gold_dir.resolve()} (an article folder with a "
            "second.json)"
        )
    text = render_markdown(result, len(corpus.articles))
    target = gold_dir / AGREEMENT_FILE
    for name in result.after:
        before, after = result.before[name].f1, result.after[name].f1
        click.echo(
            f"{name:<13} before {'n/a' if before is None else f'{before:.3f}'}  "
            f"after {'n/a' if after is None else f'{after:.3f}'}"
        )
    if check:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            click.echo(
                f"{target} is out of date: run evalsum gold agreement --gold {gold_dir}", err=True
            )
            raise SystemExit(1)
        click.echo(f"{target} is up to date ({len(result.articles)} double-annotated articles)")
        return
    target.write_text(text, encoding="utf-8")
    click.echo(f"wrote {target} ({len(result.articles)} double-annotated articles)")


@gold.command("draft")
@click.argument("article_id")
@click.option("--model", required=True, help="litellm model string, local/..., or a mock.")
@click.option("--prompt", default="v2", show_default=True, help="Prompt name or path (as for run).")
@prompts_dir_option
@gold_option
@click.option("--api-base", help="Base URL of an OpenAI-compatible server (for openai/NAME).")
@click.option("--temperature", type=click.FloatRange(0, 2), default=0.0, show_default=True)
@click.option("--max-tokens", type=click.IntRange(1), default=4096, show_default=True)
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0, min_open=True))
@click.option("--retries", type=click.IntRange(0, 50), default=4, show_default=True)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the response cache.")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Response cache folder [default: $EVALSUM_CACHE_DIR or .evalsum-cache].",
)
@click.option("--force", is_flag=True, help="Replace an earlier draft (never finished gold).")
def draft(
    article_id: str,
    model: str,
    prompt: str,
    prompts_dir: Path | None,
    gold_dir: Path,
    api_base: str | None,
    temperature: float,
    max_tokens: int,
    timeout_s: float | None,
    retries: int,
    no_cache: bool,
    cache_dir: Path | None,
    force: bool,
) -> None:
    """Ask MODEL for a draft of <gold>/ARTICLE_ID/summary.json, for a person to correct.

    The article must be scaffolded (evalsum gold new) and not yet annotated. The draft is
    marked by a DRAFT file that evalsum validate refuses until a person has corrected every
    item and deleted it."""
    from harness.cli.run import default_timeout
    from harness.run.config import RunConfig
    from harness.run.draft import draft_summary

    config = RunConfig(
        model=model,
        prompt=prompt,
        prompts_dir=prompts_dir,
        gold=gold_dir,
        articles=[article_id],
        temperature=temperature,
        max_tokens=max_tokens,
        timeout_s=timeout_s if timeout_s is not None else default_timeout(model),
        retries=retries,
        api_base=api_base,
        cache=not no_cache,
        **({"cache_dir": cache_dir} if cache_dir else {}),
    )
    result = draft_summary(config, article_id, force=force)
    counts = ", ".join(f"{n} {name}" for name, n in result.counts.items())
    source = "from the cache" if result.cached else "asked now"
    click.echo(f"drafted {result.folder}/summary.json with {model} ({source}): {counts}")
    for warning in result.warnings:
        click.echo(f"  {warning}")
    validate = "evalsum validate" + ("" if gold_dir == Path("gold") else f" --gold {gold_dir}")
    click.echo(
        f"  next: correct every item by the guidelines (gold/README.md), delete "
        f"{result.folder}/DRAFT, then run: {validate}"
    )
