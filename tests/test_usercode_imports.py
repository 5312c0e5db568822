"""A user's file that imports a slow package (scipy.stats, sklearn, torch take seconds on a busy machine) is
checked, not left undecided: the time limit on importing the file is for its top-level script code (a training
loop), and the file's imports of installed packages run before it starts.  Its own modules beside it stay timed.
"""

from __future__ import annotations

import textwrap

import pytest

from derivation.check import check_gradient, usercode

GRADIENT = """
import numpy as np
import {module}

def gradient(theta, X, y):
    h = 1 / (1 + np.exp(-X @ theta))
    return X.T @ (h - y) / len(y)
"""
SLOW = "import time\ntime.sleep(0.8)\n"


@pytest.fixture
def short_budget(monkeypatch):
    monkeypatch.setattr(usercode, "IMPORT_SECONDS", 0.3)  # the real 3 s, scaled down with the sleep


def test_a_slow_package_import_does_not_count_against_the_file(tmp_path, short_budget):
    (tmp_path / "slowpkg").mkdir()
    (tmp_path / "slowpkg" / "__init__.py").write_text(SLOW)  # a package, as an installed one is
    (tmp_path / "grad.py").write_text(textwrap.dedent(GRADIENT.format(module="slowpkg")))
    report = check_gradient("logistic", python=f"{tmp_path / 'grad.py'}:gradient")
    assert report.status == "correct", report.reason


def test_a_slow_module_of_the_users_own_is_still_timed(tmp_path, short_budget):
    (tmp_path / "trains.py").write_text(SLOW)  # a module beside the file: its top-level code is the user's script
    (tmp_path / "grad.py").write_text(textwrap.dedent(GRADIENT.format(module="trains")))
    report = check_gradient("logistic", python=f"{tmp_path / 'grad.py'}:gradient")
    assert report.status == "undecided" and "while importing the file" in report.reason
