"""`evalsum run`: summarise every gold article with a model, score it and write the report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from harness.cli.options import (
    articles_option,
    gold_option,
    out_option,
    parse_ids,
    prompts_dir_option,
)
from harness.defaults import DEFAULT_MODEL, DEFAULT_PROMPT
from harness.errors import EXIT_FINDINGS, EXIT_INTERRUPTED


def default_timeout(model: str) -> float:
    """A CPU model on a busy machine needs minutes per article; an API answers in seconds."""
    return 600.0 if model.startswith("local/") else 120.0


@click.command()
@click.option(
    "--model",
    default=DEFAULT_MODEL,
    show_default=True,
    help="litellm model string (openai/gpt-4o-mini, anthropic/..., ollama/..., "
    "openai/NAME with --api-base), local/smollm2 (make local-model), or a mock: "
    "mock/oracle, mock/noisy, mock/replay.",
)
@click.option(
    "--prompt",
    default=DEFAULT_PROMPT,
    show_default=True,
    help="Prompt name (built-in: v1, v2; or one in --prompts-dir) or a path to a .prompt file.",
)
@prompts_dir_option
@gold_option
@out_option
@articles_option
@click.option(
    "--samples",
    type=click.IntRange(1, 100),
    default=1,
    show_default=True,
    help="Ask each article K times (seed varied per sample) to measure variance.",
)
@click.option("--temperature", type=click.FloatRange(0, 2), default=0.0, show_default=True)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Base seed (sample k uses seed+k) for providers and mocks.",
)
@click.option("--max-tokens", type=click.IntRange(1), default=4096, show_default=True)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 1024),
    default=8,
    show_default=True,
    help="Calls in flight at once.",
)
@click.option(
    "--timeout",
    "timeout_s",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds per call attempt [default: 120; 600 for local/ models, which run on the CPU].",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 50),
    default=4,
    show_default=True,
    help="Retries of retryable errors (rate limit, timeout, server, connection).",
)
@click.option(
    "--retry-base-delay",
    "retry_base_delay_s",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds of the first backoff (doubled per retry, with jitter).",
)
@click.option(
    "--retry-max-delay",
    "retry_max_delay_s",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="Cap on any wait between retries, Retry-After included.",
)
@click.option("--api-base", help="Base URL of an OpenAI-compatible server (for openai/NAME).")
@click.option(
    "--no-cache", is_flag=True, help="Neither read nor write the response and score caches."
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Response and score cache folder [default: $EVALSUM_CACHE_DIR or .evalsum-cache].",
)
@click.option(
    "--resume",
    "resume_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Finish an interrupted run: call only what its journal lacks.",
)
@click.option(
    "--record",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write every answer to this cassette (JSONL) for mock/replay.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the number of calls, prompt tokens and estimated cost; call nothing.",
)
@click.option(
    "--max-cost",
    "max_cost_usd",
    type=click.FloatRange(min=0, min_open=True),
    help="Stop starting new calls once the spend reaches this many USD.",
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 1),
    help="Exit 1 when the overall score is below this value.",
)
@click.option(
    "--judge",
    help="Also judge claim content with this model (litellm string or mock/judge): "
    "temperature 0, both argument orders, cached.",
)
@click.option(
    "--junit",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write JUnit XML here: one test case per article.",
)
@click.option(
    "--mock-latency-ms",
    type=click.FloatRange(min=0),
    default=0.0,
    help="Mock providers: latency of each answer.",
)
@click.option(
    "--mock-error-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Mock providers: share of calls failing (rate limit, timeout, server error).",
)
@click.option(
    "--mock-malformed-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Mock providers: share of answers that are malformed or truncated JSON.",
)
@click.option(
    "--mock-noise-rate",
    type=click.FloatRange(0, 1),
    default=0.3,
    show_default=True,
    help="mock/noisy: chance of each perturbation per article.",
)
@click.option(
    "--cassette",
    type=click.Path(path_type=Path, dir_okay=False),
    help="mock/replay: the cassette written by --record.",
)
def run(
    model: str,
    prompt: str,
    prompts_dir: Path | None,
    gold_dir: Path,
    out: Path,
    articles: str | None,
    samples: int,
    temperature: float,
    seed: int,
    max_tokens: int,
    concurrency: int,
    timeout_s: float | None,
    retries: int,
    retry_base_delay_s: float,
    retry_max_delay_s: float,
    api_base: str | None,
    no_cache: bool,
    cache_dir: Path | None,
    resume_dir: Path | None,
    record: Path | None,
    dry_run: bool,
    max_cost_usd: float | None,
    fail_under: float | None,
    judge: str | None,
    junit: Path | None,
    mock_latency_ms: float,
    mock_error_rate: float,
    mock_malformed_rate: float,
    mock_noise_rate: float,
    cassette: Path | None,
) -> None:
    """Summarise every gold article with MODEL and write reports/<run-id>/."""
    # Imported here, not at the top: pydantic models and the runner would slow down --help.
    from harness.providers.base import MockOptions
    from harness.run.config import RunConfig
    from harness.run.runner import RunInterrupted, dry_run_estimate, resume_run, start_run

    config = RunConfig(
        model=model,
        prompt=prompt,
        prompts_dir=prompts_dir,
        gold=gold_dir,
        out=out,
        articles=parse_ids(articles),
        samples=samples,
        temperature=temperature,
        seed=seed,
        max_tokens=max_tokens,
        concurrency=concurrency,
        timeout_s=timeout_s if timeout_s is not None else default_timeout(model),
        retries=retries,
        retry_base_delay_s=retry_base_delay_s,
        retry_max_delay_s=retry_max_delay_s,
        api_base=api_base,
        cache=not no_cache,
        record=record,
        max_cost_usd=max_cost_usd,
        judge=judge,
        mock=MockOptions(
            latency_ms=mock_latency_ms,
            error_rate=mock_error_rate,
            malformed_rate=mock_malformed_rate,
            noise_rate=mock_noise_rate,
            cassette=cassette,
        ),
        **({"cache_dir": cache_dir} if cache_dir else {}),
    )
    if dry_run:
        click.echo(dry_run_estimate(config).render())
        return
    try:
        if resume_dir is not None:
            # Only what the user typed may override the recorded run, never a default.
            ctx = click.get_current_context()
            given = {
                name
                for name in ctx.params
                if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE
            }
            aliases = {"no_cache": "cache", "gold_dir": "gold"}
            overrides = {
                field: getattr(config, field)
                for name in given
                if (field := aliases.get(name, name)) in RunConfig.model_fields
            }
            result = resume_run(resume_dir, command_line=sys.argv, overrides=overrides)
        else:
            result = start_run(config, command_line=sys.argv)
    except RunInterrupted as stop:
        click.echo(f"\ninterrupted: {stop.done} call(s) kept in {stop.folder}", err=True)
        click.echo(f"  resume with: evalsum run --resume {stop.folder}", err=True)
        raise SystemExit(EXIT_INTERRUPTED) from None

    if junit is not None:
        from harness.report.junit import write_junit
        from harness.report.load import load_report

        write_junit(load_report(result.folder), junit, fail_under)
    click.echo(result.summary_text())
    click.echo(str(result.folder))
    failed = result.failed_calls > 0 or result.skipped_calls > 0
    below = fail_under is not None and (result.overall is None or result.overall < fail_under)
    if below:
        click.echo(f"overall score {result.overall} is below --fail-under {fail_under}", err=True)
    if failed or below:
        raise SystemExit(EXIT_FINDINGS)
