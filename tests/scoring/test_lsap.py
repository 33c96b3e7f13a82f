"""The assignment solver loaded on its own gives scipy.optimize's answers, without its import."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from harness.scoring.lsap import _load_compiled, linear_sum_assignment


@pytest.mark.parametrize("shape", [(1, 1), (3, 7), (20, 20), (35, 12)])
@pytest.mark.parametrize("maximize", [True, False])
def test_same_assignment_as_scipy_optimize(shape: tuple[int, int], maximize: bool) -> None:
    from scipy.optimize import linear_sum_assignment as public

    rng = np.random.default_rng(sum(shape))
    for _ in range(20):
        cost = rng.random(shape).round(2)  # ties included
        ours = linear_sum_assignment()(cost, maximize=maximize)
        theirs = public(cost, maximize=maximize)
        assert [a.tolist() for a in ours] == [a.tolist() for a in theirs]


def test_the_compiled_module_is_found_here() -> None:
    assert _load_compiled() is not None


def test_scoring_an_article_does_not_import_scipy_optimize() -> None:
    code = (
        "import sys\n"
        "from harness.gold import load_corpus\n"
        "from harness.scoring import score_article\n"
        "a = load_corpus('gold').articles[0]\n"
        "s = score_article(a.summary, a.summary, article_id=a.id, text=a.text,"
        " published=a.meta.published)\n"
        "assert s.overall == 1.0, s.overall\n"
        "print('scipy.optimize' in sys.modules)\n"
    )
    from tests.conftest import REPO

    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
