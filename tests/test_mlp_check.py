"""`check mlp --python`: users' two-layer backprop judged per parameter, and the slip named.

The reference (:class:`derivation.nets.faults.Net`) is checked against central differences of
:class:`derivation.nets.network.Network`'s cost (an independent oracle: no gradient code in it).
The mutation suite runs every function of tests/mlp_cases/ (EXPECTED.json: file, function, the slip or
None for a correct one) in the box: no wrong function accepted, no right one rejected, ≥ 90% of the
slips named, and never a wrong name.  ``pytest -s`` prints the confusion matrix.
"""

from __future__ import annotations

import ast
import inspect
import json
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from derivation.check import runner
from derivation.check.usersource import InputError
from derivation.nets.check import check_mlp
from derivation.nets.child import box_source
from derivation.nets.faults import FAULTS, L2, PARAMETERS, Net
from derivation.nets.network import HIDDEN, OUTPUTS
from derivation.nets.report import CORRECT, INCORRECT, UNDECIDED
from derivation.nets.run import KINK, make_datasets

CASES_DIR = Path(__file__).parent / "mlp_cases"
CASES = [tuple(c) for c in json.loads((CASES_DIR / "EXPECTED.json").read_text(encoding="utf-8"))]


def _nets(output: str, activation: str, l2: str) -> list[Net]:
    return [Net(d.X, d.Y, d.params, d.reg, activation, output, l2) for d in make_datasets(output)]


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("activation", list(HIDDEN))
def test_reference_is_the_gradient_of_the_network_cost(activation: str, output: str) -> None:
    for l2 in L2:
        for net in _nets(output, activation, l2)[:KINK]:  # central differences need no kink
            expected = net.backward()
            for p in PARAMETERS:
                numeric = np.zeros_like(net.params[p])
                for index in np.ndindex(numeric.shape):
                    values = []
                    for step in (1e-6, -1e-6):
                        params = {k: v.copy() for k, v in net.params.items()}
                        params[p][index] += step
                        values.append(Net(net.X, net.Y, params, net.reg, activation, output, l2).loss())
                    numeric[index] = (values[0] - values[1]) / 2e-6
                assert np.allclose(expected[p], numeric, rtol=1e-5, atol=1e-7), (activation, output, l2, p)


def test_datasets_keep_away_from_the_kink_but_one() -> None:
    for output in OUTPUTS:
        for index, d in enumerate(make_datasets(output)):
            Z1 = np.abs(d.X @ d.params["W1"] + d.params["b1"])
            if index == KINK:
                assert Z1[0, 0] == 0.0
                Z1[0, 0] = 1.0
            assert Z1.min() > 0.1
            m, n = d.X.shape
            assert m not in (n, d.params["W1"].shape[1], d.Y.shape[1])  # wrong shapes fail, not broadcast


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f"{f.key}:{f.name[:30]}")
def test_every_slip_changes_some_gradient(fault) -> None:
    """A slip that gives ∇J itself could never be named; ReLU's ≥ differs only at the kink."""
    activation = "relu" if fault.key == "relu-geq" else "sigmoid"
    differs = []
    for d, net in enumerate(_nets("softmax", activation, "sum")):
        right, slip = net.backward(), fault.gradient(net)
        if any(slip[p].shape != right[p].shape or not np.allclose(slip[p], right[p]) for p in slip):
            differs.append(d)
    assert differs
    if fault.key == "relu-geq":
        assert differs == [KINK]


def _run(case: tuple[str, str, str | None]):
    file, function, _ = case
    return case, check_mlp(f"{CASES_DIR / file}:{function}")


@pytest.fixture(scope="module")
def suite():
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:  # each run is a child process: they overlap
        results = list(pool.map(_run, CASES))
    return results, time.perf_counter() - start


def test_suite_has_enough_of_each() -> None:
    wrong = [c for c in CASES if c[2] is not None]
    assert len(wrong) >= 40 and len(CASES) - len(wrong) >= 10
    assert {c[2] for c in wrong} >= {f.key for f in FAULTS}  # every slip of faults.py is in the suite


def test_no_false_accepts_no_false_rejects(suite) -> None:
    results, _ = suite
    accepted_wrong = [c for c, r in results if c[2] is not None and r.status != INCORRECT]
    rejected_right = [(c, r.reason) for c, r in results if c[2] is None and r.status != CORRECT]
    assert not accepted_wrong
    assert not rejected_right


def test_slips_named_and_confusion_matrix(suite) -> None:
    results, seconds = suite
    rows: dict[str, Counter] = {}
    wrong_names = []
    for (file, function, expected), report in results:
        named = {k for k in report.faults().values() if k}
        if expected is None:
            column = "accepted" if report.status == CORRECT else "rejected"
        elif report.status == CORRECT:
            column = "accepted"
        elif expected in named:
            column = "named"
        elif named:
            column = "other name"
            wrong_names.append((file, function, expected, named))
        else:
            column = "not named"
        rows.setdefault(expected or "correct", Counter())[column] += 1
    columns = ["accepted", "rejected", "named", "other name", "not named"]
    print(f"\nmlp check: {len(results)} functions in {seconds:.1f} s")
    print(f"{'expected':<22}" + "".join(f"{c:>12}" for c in columns))
    for key in sorted(rows, key=lambda k: (k != "correct", k)):
        print(f"{key:<22}" + "".join(f"{rows[key][c]:>12}" for c in columns))
    mutants = [c for c in CASES if c[2] is not None]
    named = sum(rows[k]["named"] for k in rows if k not in ("correct", "unnamed"))
    print(f"named: {named} of {len(mutants)} wrong functions ({100 * named / len(mutants):.0f}%)")
    assert not wrong_names
    assert named >= 0.9 * len(mutants)


def _from_suite(suite, file: str, function: str):
    """The suite's report on ``file:function``: the very check_mlp call a test would make again."""
    results, _ = suite
    return next(report for (f, name, _), report in results if (f, name) == (file, function))


def test_report_names_the_parameter_the_slip_and_a_counterexample(suite) -> None:
    report = _from_suite(suite, "ng_columns.py", "backward_slope_on_z")
    assert report.status == INCORRECT and report.exit_code == 1
    assert report.faults() == {"W1": "slope-on-preactivation", "b1": "slope-on-preactivation"}
    text = report.text()
    assert "hidden activation tanh" in text and "output sigmoid" in text and "L2 no penalty" in text
    assert "examples in columns" in text and "expected" in text and "received" in text and "fix:" in text
    assert report.to_dict()["findings"][0]["fault"] == "slope-on-preactivation"


def test_relu_at_the_kink_is_shown_at_the_kink(suite) -> None:
    report = _from_suite(suite, "loops_relu.py", "backprop_relu_geq")
    finding = next(f for f in report.findings if not f.right)
    assert finding.fault.key == "relu-geq" and f"dataset {KINK + 1}" in finding.example and "kink" in finding.example


def test_an_option_overrides_the_source() -> None:
    """loops.py's backprop is right for its (reg/2)·ΣW²; told J has reg·ΣW², its reg·W is half of 2reg·W."""
    report = check_mlp(f"{CASES_DIR / 'loops.py'}:backprop", l2="sum")
    assert report.status == INCORRECT
    assert set(report.faults().values()) == {"reg-factor"}
    assert check_mlp(f"{CASES_DIR / 'loops.py'}:backprop", l2="half").status == CORRECT


def test_unreadable_input_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def backward(parameters, cache, X, Y):\n    return {}\n\ndef f(a, b):\n    return 1\n")
    for spec, words in [
        (f"{bad}:missing", "no function 'missing'"),
        (f"{bad}:backward", "cache"),
        (f"{bad}:f", "cannot tell what to pass"),
        (f"{tmp_path / 'none.py'}:f", "no such file"),
        (str(bad), "name the function: .* \\(its functions: backward, f\\)"),
    ]:
        with pytest.raises(InputError, match=words) as error:
            check_mlp(spec)
        assert "\n" not in str(error.value)
    with pytest.raises(InputError, match="unknown activation"):
        check_mlp(f"{bad}:backward", activation="gelu")


def test_a_network_without_biases_is_refused_for_its_biases(tmp_path: Path) -> None:
    # tester 8's py_15: "nothing it reads is named as the weights" while it read W1 and w2; the reason (no b1, b2)
    # now comes first
    source = tmp_path / "nobias.py"
    source.write_text(
        "import numpy as np\n\ndef backprop(W1, w2, X, y):\n    a1 = np.tanh(X @ W1)\n"
        "    p = 1 / (1 + np.exp(-(a1 @ w2)))\n    d2 = (p - y) / len(y)\n"
        "    return a1.T @ d2, X.T @ (np.outer(d2, w2) * (1 - a1 ** 2))\n"
    )
    with pytest.raises(InputError, match="it reads W1, W2 but no b1 or b2; outside the catalog's network: its layers "
                       "have no biases") as error:  # fmt: skip
        check_mlp(f"{source}:backprop")
    assert "nothing it reads" not in str(error.value)


def test_a_function_that_hangs_or_crashes_is_undecided(tmp_path: Path) -> None:
    hangs = tmp_path / "hangs.py"
    hangs.write_text("def loss_and_grads(params, X, y, reg):\n    while True:\n        pass\n")
    report = check_mlp(f"{hangs}:loss_and_grads", timeout=1.0)
    assert report.status == UNDECIDED and report.exit_code == 1
    crashes = tmp_path / "crashes.py"
    crashes.write_text("def loss_and_grads(params, X, y, reg):\n    return 1 / 0\n")
    report = check_mlp(f"{crashes}:loss_and_grads")
    assert report.status == UNDECIDED and "ZeroDivisionError" in report.reason


def test_reports_render_as_text_ascii_markdown_and_json(suite) -> None:
    results, _ = suite
    report = next(r for c, r in results if c[2] == "output-slope-twice")
    assert report.render("text", ascii=True).isascii()
    assert report.render("markdown").startswith("**derivation check mlp")
    data = json.loads(report.render("json"))
    assert data["exit_code"] == 1 and data["status"] == INCORRECT
    assert {f["fault"] for f in data["findings"] if not f["right"]} == {"output-slope-twice"}
    with pytest.raises(ValueError, match="unknown format"):
        report.render("pdf")


def test_the_box_uses_only_what_the_runner_has() -> None:
    """The box runs check --python's runner as the module ``runner`` with our main: every runner.NAME must exist."""
    source = box_source()
    tree = ast.parse(source)  # the runner's own source is a string in it: only ours is read here
    used = {
        n.attr
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "runner"
    }
    assert used >= {"import_user", "Budget", "describe", "OutOfTime", "supervise"}
    assert {name for name in used if not hasattr(runner, name)} == set()
    assert list(inspect.signature(runner.supervise).parameters) == ["work", "main"]
    assert source.rstrip().endswith("runner.supervise(sys.argv[1], child_main)")
