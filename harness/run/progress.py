"""Progress on the terminal: a rich bar on a TTY, plain periodic lines otherwise (CI logs)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from harness.run.records import CallRecord


class Progress:
    """Counts finished calls and shows them; the run calls `update` once per record."""

    def __init__(self, total: int, *, stream: TextIO | None = None, every_s: float = 10.0) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.done = self.failed = self.cached = self.skipped = 0
        self.tokens = 0
        self.cost = 0.0
        self.cost_known = True
        self._every_s = every_s
        self._last = time.monotonic()
        self._bar = None
        self._task_id = None

    def __enter__(self) -> Progress:
        if self.stream.isatty() and self.total:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("[bold]evalsum"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[stats]}"),
                TimeElapsedColumn(),
                transient=True,
            )
            self._bar.start()
            self._task_id = self._bar.add_task("run", total=self.total, stats="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def stats_text(self) -> str:
        cost = f"${self.cost:.4f}" if self.cost_known else f"${self.cost:.4f}+unknown"
        return (
            f"ok {self.done}  failed {self.failed}  cached {self.cached}  "
            f"skipped {self.skipped}  tokens {self.tokens}  cost {cost}"
        )

    def update(self, record: CallRecord) -> None:
        if record.status == "ok":
            self.done += 1
            self.cached += record.cached
        elif record.status == "failed":
            self.failed += 1
        else:
            self.skipped += 1
        usage = record.usage
        self.tokens += (usage.prompt_tokens or 0) + (usage.completion_tokens or 0)
        if record.status == "ok" and not record.cached:
            if usage.cost_usd is None:
                self.cost_known = False
            else:
                self.cost += usage.cost_usd
        finished = self.done + self.failed + self.skipped
        if self._bar is not None:
            self._bar.update(self._task_id, completed=finished, stats=self.stats_text())
        elif time.monotonic() - self._last >= self._every_s or finished == self.total:
            self._last = time.monotonic()
            print(f"[{finished}/{self.total}] {self.stats_text()}", file=self.stream, flush=True)


__all__ = ["Progress"]
