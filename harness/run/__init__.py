"""Running a model over the gold corpus: plan, call (cached, retried, journaled), report."""

from harness.run.config import DEFAULT_MODEL, DEFAULT_PROMPT, RunConfig
from harness.run.runner import (
    DryRunEstimate,
    RunInterrupted,
    RunResult,
    dry_run_estimate,
    resume_run,
    start_run,
)

__all__ = [
    "DEFAULT_MODEL",
    "DEFAULT_PROMPT",
    "DryRunEstimate",
    "RunConfig",
    "RunInterrupted",
    "RunResult",
    "dry_run_estimate",
    "resume_run",
    "start_run",
]
