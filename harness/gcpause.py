"""Pausing Python's cyclic garbage collector around steps that allocate heavily."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block; collection resumes as before afterwards.

    For steps that build many short-lived, acyclic objects, which reference counting frees: a
    collection in the middle would find them alive and promote them, and enough promotions
    set off a full collection over everything the process holds. A caller that had the
    collector off keeps it off.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


__all__ = ["collector_paused"]
