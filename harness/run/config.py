"""Everything that defines a run, as given on the command line or from Python."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from harness.defaults import DEFAULT_MODEL, DEFAULT_PROMPT
from harness.providers.base import MockOptions


def default_cache_dir() -> Path:
    return Path(os.environ.get("EVALSUM_CACHE_DIR", ".evalsum-cache"))


def default_gold_dir() -> Path:
    """`gold`, unless $EVALSUM_GOLD names the corpus (a corpus kept outside the project)."""
    return Path(os.environ.get("EVALSUM_GOLD", "gold"))


class RunConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str = DEFAULT_MODEL
    prompt: str = DEFAULT_PROMPT
    gold: Path = Field(default_factory=default_gold_dir)
    # The user's own prompts, searched before the built-in ones (None: built-in only). Not the
    # working directory by default, so a prompt name means the same from any folder.
    prompts_dir: Path | None = None
    out: Path = Path("reports")
    articles: list[str] | None = None
    samples: int = Field(default=1, ge=1)
    temperature: float | None = Field(default=0.0, ge=0, le=2)
    seed: int = 0
    max_tokens: int | None = Field(default=4096, ge=1)
    concurrency: int = Field(default=8, ge=1, le=1024)
    timeout_s: float = Field(default=120.0, gt=0)
    retries: int = Field(default=4, ge=0, le=50)
    retry_base_delay_s: float = Field(default=1.0, ge=0)
    retry_max_delay_s: float = Field(default=60.0, ge=0)
    api_base: str | None = None
    cache: bool = True
    cache_dir: Path = Field(default_factory=default_cache_dir)
    record: Path | None = None
    max_cost_usd: float | None = Field(default=None, gt=0)
    judge: str | None = Field(
        default=None, description="Model deciding whether two claims state the same proposition."
    )
    mock: MockOptions = MockOptions()


__all__ = [
    "DEFAULT_MODEL",
    "DEFAULT_PROMPT",
    "RunConfig",
    "default_cache_dir",
    "default_gold_dir",
]
