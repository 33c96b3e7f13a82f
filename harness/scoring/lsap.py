"""The linear sum assignment solver, without importing all of scipy.optimize.

Alignment needs one function of scipy, `linear_sum_assignment`, which scipy implements in the
compiled module `scipy/optimize/_lsap`. Importing it the usual way runs
`scipy/optimize/__init__.py`, which imports every optimiser: about 0.5 s and 50 MB of memory
for every run and report. The compiled module needs none of that, so it is loaded on its own
from scipy's installed files. Should that ever fail (another scipy layout), the public import
is used: slower to load, same answers.
"""

from __future__ import annotations

import functools
import importlib.machinery
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

Solver = Callable[..., tuple[Any, Any]]


def _load_compiled() -> Solver | None:
    spec = importlib.util.find_spec("scipy")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "optimize"
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = folder / f"_lsap{suffix}"
        if not path.is_file():
            continue
        module_spec = importlib.util.spec_from_file_location("scipy.optimize._lsap", path)
        if module_spec is None or module_spec.loader is None:
            return None
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
        solver = getattr(module, "linear_sum_assignment", None)
        return solver if callable(solver) else None
    return None


@functools.cache
def linear_sum_assignment() -> Solver:
    """scipy's `linear_sum_assignment` (called as `linear_sum_assignment()(cost, maximize=...)`)."""
    try:
        solver = _load_compiled()
    except (ImportError, OSError):
        solver = None
    if solver is None:
        from scipy.optimize import linear_sum_assignment as solver
    return solver


__all__ = ["linear_sum_assignment"]
