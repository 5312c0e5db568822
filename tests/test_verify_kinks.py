"""Kinks on both sides: a subgradient written without its indicator is caught whatever the seed.

∂/∂θ_j (1/m)Σ max(0, 1 − y⁽ⁱ⁾θᵀx⁽ⁱ⁾) = −(1/m)Σ y⁽ⁱ⁾x_j⁽ⁱ⁾ (the 1[u > 0] dropped) is equal to the
right gradient wherever every example is on the same side of the margin; with seed 0 the oracle's
draws put them all there and the slip held.  The oracle now picks its points so that each kink's
argument takes both signs (across the examples) and no point sits on a kink (oracle/kinks.py); the
gradient checker's datasets likewise (oracle/datasets.py).  Each slip below must fail at its step
for seeds 0..9 and its correct version hold; the same for |u| and ReLU, and for a margin the usual
draws never cross (3 − y θᵀx: the search draws wider).  The judge is the oracle itself, and the
datasets are tested against NumPy directly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from derivation.check.gradient import check_gradient
from derivation.core.notation import j, theta
from derivation.models import get_model
from derivation.oracle.datasets import make_datasets
from derivation.oracle.equality import verify_equality
from derivation.proof import verify_text

DATA = Path(__file__).parent / "data" / "verify_user"
SEEDS = range(10)

# (slip document, its correct version, the statuses of the slip's steps)
PAIRS = [
    ("hinge_sum_slip.md", "hinge_sum_ok.md", ["holds", "fails"]),  # the tester's: 2 hold at seed 0 before
    ("abs_margin_slip.md", "abs_margin_ok.md", ["fails"]),  # |1 − y θᵀx|, sign(u) dropped
    ("relu_margin_slip.md", "relu_margin_ok.md", ["fails"]),  # ReLU(1 − y θᵀx), 1[u > 0] dropped
    ("hinge_wide_slip.md", "hinge_wide_ok.md", ["fails"]),  # max(0, 3 − y θᵀx): u < 0 only in wider draws
    ("abs_sum_slip.md", "abs_sum_ok.md", ["fails"]),  # least absolute deviations
    ("relu_sum_slip.md", "relu_sum_ok.md", ["fails"]),
    ("lasso_sign_slip.md", "lasso_sign_ok.md", ["fails"]),  # λΣ|θ_k|, sign(θ_j) dropped
]


def statuses(name: str, seed: int) -> list[str]:
    return [
        s.status for s in verify_text((DATA / name).read_text(), hypothesis="hinge", seed=seed, explain=False).steps
    ]


@pytest.mark.parametrize(("slip", "correct", "expected"), PAIRS, ids=[p[0] for p in PAIRS])
def test_dropped_indicator_is_caught_for_every_seed(slip, correct, expected):
    for seed in SEEDS:
        assert statuses(slip, seed) == expected, (slip, seed)
        assert set(statuses(correct, seed)) == {"holds"}, (correct, seed)


def test_counterexample_is_off_the_kink_and_on_the_other_side():
    """The point that shows the slip has an example with y θᵀx > 1 and none at the margin itself."""
    report = verify_text((DATA / "hinge_sum_slip.md").read_text(), hypothesis="hinge", seed=0)
    step = report.steps[1]
    assert step.status == "fails"
    point = step.verdict.counterexample
    margins = [
        1 - point[f"y[{i}]"] * sum(point[f"theta[{k}]"] * point[f"x[{i}, {k}]"] for k in range(3)) for i in (1, 2, 3)
    ]
    assert min(margins) < 0 < max(margins) or max(margins) < 0
    assert min(abs(u) for u in margins) > 1e-6


def test_single_kink_in_a_parameter():
    """∂|θ_j + 2|/∂θ_j = 1 (sign dropped) fails and = sign(θ_j + 2) holds at every seed, though θ_j < −2 only in
    the search's wider draws (the usual ones are in (−1.5, 1.5))."""
    cost = sp.Derivative(sp.Abs(theta[j] + 2), theta[j])
    for seed in SEEDS:
        assert verify_equality(cost, sp.Integer(1), seed=seed).status == "fails"
        assert verify_equality(cost, sp.sign(theta[j] + 2), seed=seed).status == "holds"


HINGE_DROPPED = r"-\frac{1}{m}\sum_{i=1}^m y^{(i)} x_j^{(i)} + \frac{\lambda}{m}(1-\delta_{j0})\theta_j"
HINGE_RIGHT = (
    r"-\frac{1}{m}\sum_{i=1}^m \mathbf{1}[y^{(i)}\theta^T x^{(i)} < 1]\, y^{(i)} x_j^{(i)}"
    r" + \frac{\lambda}{m}(1-\delta_{j0})\theta_j"
)


def test_check_latex_catches_the_dropped_indicator_for_every_seed():
    for seed in SEEDS:
        assert check_gradient("hinge", latex=HINGE_DROPPED, seed=seed).status == "incorrect", seed
    assert check_gradient("hinge", latex=HINGE_RIGHT, seed=0).status == "correct"


@pytest.mark.parametrize("seed", SEEDS)
def test_datasets_straddle_every_kink(seed):
    """Every dataset of a kinked model has examples on both sides (NumPy on the data, not our evaluator)."""
    for d in make_datasets(get_model("hinge"), seed):
        margins = 1 - d.y * (d.X @ d.theta)
        assert margins.min() < -1e-6 and margins.max() > 1e-6 and np.abs(margins).min() > 1e-6
    for d in make_datasets(get_model("lasso"), seed):
        assert d.theta.min() < 0 < d.theta.max()
    for d in make_datasets(get_model("svm-multiclass"), seed):
        scores = d.X @ d.W
        margins = scores - (scores * d.Y).sum(axis=1, keepdims=True) + 1
        others = margins[d.Y == 0]
        assert others.min() < 0 < others.max()
    first, again = make_datasets(get_model("hinge"), seed), make_datasets(get_model("hinge"), seed)
    assert [d.theta.tolist() for d in first] == [d.theta.tolist() for d in again]  # redrawn reproducibly
