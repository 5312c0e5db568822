"""Review 13 F6: the line through the origin, y = mx, with --wrt m (n the number of points) was refused as "m is the
number of examples". Its slope's derivative is judged now; the truth is central differences of (1/n)Σ(y_i − m x_i)².
"""

from __future__ import annotations

import numpy as np
import pytest
from central import central_differences
from cli_runner import run_cli

COST = r"\frac{1}{n}\sum_{i=1}^n (y_i - mx_i)^2"
GRADIENTS = {  # the line the user writes, and its value as NumPy computes it
    "right": (r"-\frac{2}{n}\sum_{i=1}^n x_i (y_i - mx_i)", lambda x, y, s: -2 * np.mean(x * (y - s * x))),
    "no 2": (r"-\frac{1}{n}\sum_{i=1}^n x_i (y_i - mx_i)", lambda x, y, s: -np.mean(x * (y - s * x))),
    "sign": (r"\frac{2}{n}\sum_{i=1}^n x_i (y_i - mx_i)", lambda x, y, s: 2 * np.mean(x * (y - s * x))),
}


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_the_slope_of_a_line_through_the_origin(name):
    rng = np.random.default_rng(6)
    x, y, slope = rng.normal(size=7), rng.normal(size=7), 0.8
    truth = central_differences(lambda s: float(np.mean((y - s[0] * x) ** 2)), np.array([slope]))[0]
    latex, value = GRADIENTS[name]
    right = bool(np.isclose(value(x, y, slope), truth, rtol=1e-7))
    assert right == (name == "right")
    done = run_cli("check", "--cost", COST, "--wrt", "m", "--latex", r"\frac{\partial J}{\partial m} = " + latex)
    assert done.returncode == (0 if right else 1), done.stdout + done.stderr
    assert done.stdout.startswith("✓ correct" if right else "✗ incorrect"), done.stdout
