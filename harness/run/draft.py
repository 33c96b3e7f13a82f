"""`evalsum gold draft`: a model's summary of one gold article, as a draft for an annotator.

The model is asked exactly as in a run (same prompt, schema, provider layer, retries and
response cache), and its answer is written to the article's `summary.json` with a `DRAFT`
marker beside it, which `evalsum validate` refuses until a person has corrected every item and
deleted the marker. A draft never overwrites a finished annotation.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

from pydantic import BaseModel

from harness import schemas
from harness.errors import InputError
from harness.gold.corpus import SUMMARY_FILE, load_article
from harness.gold.drafts import DRAFT_FILE, DraftMark
from harness.gold.problems import GoldError, gold_not_found
from harness.output import parse_output
from harness.prompts import load_prompt
from harness.providers import ProviderError, RetryPolicy, open_model
from harness.run.cache import CachedResponse, ResponseCache
from harness.run.config import RunConfig
from harness.run.plan import plan_tasks
from harness.run.runner import (
    RESPONSE_SCHEMA,
    answers_from_gold,
    decide_send_schema,
    provider_fingerprint,
)
from harness.summary import Summary


class DraftResult(BaseModel):
    folder: Path
    cached: bool
    status: str
    warnings: list[str]
    counts: dict[str, int]


def _annotated(path: Path) -> bool:
    """Whether summary.json holds anything a person may have written."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return path.exists()
    return not isinstance(data, dict) or any(data.get(k) for k in Summary.model_fields)


def draft_summary(config: RunConfig, article_id: str, *, force: bool = False) -> DraftResult:
    """Ask `config.model` for `article_id`'s summary and write it as a draft to annotate."""
    if not config.gold.is_dir():
        raise gold_not_found(config.gold)
    folder = config.gold / article_id
    if not folder.is_dir():
        raise InputError(
            f"no article folder {folder.resolve()}",
            hint=f"scaffold it first: evalsum gold new ARTICLE.txt --id {article_id} "
            f"--gold {config.gold}",
        )
    target, mark = folder / SUMMARY_FILE, folder / DRAFT_FILE
    if mark.exists() and not force:
        raise InputError(
            f"{target.resolve()} is already a draft, perhaps being corrected",
            hint="pass --force to replace it with a new draft",
        )
    if not mark.exists() and _annotated(target):
        raise InputError(
            f"{target.resolve()} is annotated: a draft never overwrites gold",
            hint="draft into a new article folder (evalsum gold new), or empty summary.json",
        )
    try:
        article = load_article(folder)
    except GoldError as exc:
        raise InputError(str(exc)) from None
    cache = ResponseCache(config.cache_dir) if config.cache else None
    try:
        task = plan_tasks(
            [article],
            load_prompt(config.prompt, config.prompts_dir),
            config,
            schema=schemas.load(RESPONSE_SCHEMA),
            send_schema=decide_send_schema(config, cache),
            provider_fingerprint=provider_fingerprint(config),
            answers_from_gold=answers_from_gold(config),
        )[0]
        hit = cache.get(task.key) if cache is not None else None
        if hit is None:
            text, finish = _ask(config, article, task.request)
            if cache is not None:
                cache.put(task.key, config.model, CachedResponse(text=text, finish_reason=finish))
        else:
            text, finish = hit.text, hit.finish_reason
    finally:
        if cache is not None:
            cache.close()
    parsed = parse_output(text, truncated=finish == "length", published=article.meta.published)
    if parsed.summary is None:
        raise InputError(
            f"{config.model} gave no usable summary of {article_id} ({parsed.status}: "
            f"{'; '.join(parsed.errors[:3])})",
            hint="try another model or --max-tokens; nothing was written",
        )
    from harness.gold.scaffold import dump_json

    target.write_text(dump_json(parsed.summary.model_dump(mode="json")), encoding="utf-8")
    stamp = DraftMark(
        model=config.model,
        prompt=config.prompt,
        made_at=dt.datetime.now(dt.UTC),
        output_status=parsed.status,
        warnings=[*parsed.errors, *parsed.warnings],
    )
    mark.write_text(stamp.model_dump_json(indent=2) + "\n", encoding="utf-8")
    counts = {name: len(getattr(parsed.summary, name)) for name in Summary.model_fields}
    return DraftResult(
        folder=folder,
        cached=hit is not None,
        status=parsed.status,
        warnings=stamp.warnings,
        counts=counts,
    )


def _ask(config: RunConfig, article, request) -> tuple[str, str | None]:
    policy = RetryPolicy(
        max_retries=config.retries,
        base_delay_s=config.retry_base_delay_s,
        max_delay_s=config.retry_max_delay_s,
    )

    async def call() -> tuple[str, str | None]:
        with open_model(
            config.model, api_base=config.api_base, corpus=[article], mock=config.mock
        ) as client:
            result, _ = await client.complete_with_retries(request, policy)
            return result.text, result.finish_reason

    try:
        return asyncio.run(call())
    except ProviderError as exc:
        raise InputError(f"the draft call failed: {exc.message}") from None


__all__ = ["DraftResult", "draft_summary"]
