"""The boxed run: small random datasets, the conventions to call under, and one box run of them all.

Every convention (rows or Andrew Ng's columns, integer or one-hot labels, flat or (1, h) biases) on
every dataset runs in one run of :mod:`derivation.check.box`'s box (its own process group, time, memory
and output limits), by :mod:`derivation.nets.child`'s main; the gradients come back in the row layout.
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..check.box import failure_text, isolation, run_box
from ..check.usercode import error_text  # one wording for a failed call, as check --python's
from .child import box_source
from .conventions import Call, Hints
from .faults import PARAMETERS
from .network import one_hot

IMPORT_SECONDS, FIRST_CALL_SECONDS, CALL_SECONDS = 3.0, 2.0, 0.25  # as check --python's (usercode.py)
# (m, n, h, K): m differs from n, h and K (a label or bias of the wrong shape fails to broadcast instead of
# passing), n ≠ h and h ≠ K except where a transpose must run (dataset 2: h = K, so δ²W2 runs without ᵀ).
SHAPES = {
    "softmax": ((6, 4, 5, 3), (7, 2, 3, 3), (5, 3, 4, 2), (6, 3, 4, 3)),
    "sigmoid": ((6, 4, 5, 1), (7, 2, 3, 1), (5, 3, 4, 1), (6, 3, 4, 1)),
}
KINK = 3  # the dataset with Z1[0, 0] = 0 exactly (x⁽¹⁾ = 0, b1[0] = 0): ReLU′ at its kink


@dataclass(frozen=True)
class Dataset:
    """One small random problem in the row layout, float64."""

    X: np.ndarray
    y: np.ndarray  # integer labels (0/1 for a sigmoid output)
    Y: np.ndarray  # one-hot (m, K), or (m, 1) 0/1
    params: dict[str, np.ndarray]
    reg: float

    @property
    def shape_text(self) -> str:
        m, n = self.X.shape
        return f"m={m}, n={n}, h={self.params['W1'].shape[1]}, K={self.Y.shape[1]}"


def make_datasets(output: str, seed: int = 0) -> list[Dataset]:
    """Datasets with every hidden pre-activation at least 0.1 from 0, except dataset KINK's Z1[0, 0] = 0 exactly."""
    rng = np.random.default_rng(seed)
    out = []
    for index, (m, n, h, K) in enumerate(SHAPES[output]):
        while True:
            X = rng.normal(0, 1, (m, n))
            params = {
                "W1": rng.normal(0, 0.8, (n, h)),
                "b1": rng.normal(0, 0.5, h),
                "W2": rng.normal(0, 0.8, (h, K)),
                "b2": rng.normal(0, 0.5, K),
            }
            if index == KINK:
                X[0], params["b1"][0] = 0.0, 0.0
            Z1 = np.abs(X @ params["W1"] + params["b1"])
            Z1[0, 0] = 1.0 if index == KINK else Z1[0, 0]
            if Z1.min() > 0.1:
                break
        if output == "softmax":
            y = rng.permutation(np.arange(m) % K)
            Y = one_hot(y, K)
        else:
            y = rng.permutation(np.arange(m) % 2)
            Y = y.astype(float)[:, None]
        out.append(Dataset(X, y, Y, params, float(np.round(rng.uniform(0.1, 0.4), 3))))
    return out


@dataclass(frozen=True)
class Attempt:
    """A convention: the layout (rows or columns), the labels (integers or one-hot), the biases' shape."""

    layout: str  # "row" X (m, n), W1 (n, h) | "column" X (n, m), W1 (h, n), b1 (h, 1)
    labels: str  # "integers" | "onehot"
    bias: str = "flat"  # "flat" b1 (h,) | "2d" b1 (1, h) (row layout)

    @property
    def key(self) -> str:
        return f"{self.layout}-{self.labels}-{self.bias}"

    def text(self, output: str) -> str:
        if self.layout == "column":
            shapes = "examples in columns (Andrew Ng's layout): X (n, m), W1 (h, n), b1 (h, 1), W2 (K, h), b2 (K, 1)"
            labels = "one-hot Y (K, m)" if self.labels == "onehot" else "labels as integers 0..K−1, y (m,)"
            if output == "sigmoid":
                labels = "labels Y (1, m) in {0, 1}"
        else:
            b = "(1, h)" if self.bias == "2d" else "(h,)"
            shapes = f"rows: X (m, n), W1 (n, h), b1 {b}, W2 (h, K), b2 {b.replace('h', 'K')}"
            labels = "one-hot Y (m, K)" if self.labels == "onehot" else "labels as integers 0..K−1, y (m,)"
            if output == "sigmoid":
                labels = "labels Y (m, 1) in {0, 1}" if self.labels == "onehot" else "labels y (m,) in {0, 1}"
        return f"{shapes}; {labels}"


def attempts(hints: Hints, layout: str | None = None, labels: str | None = None) -> list[Attempt]:
    """The conventions to try, the likeliest first."""
    layouts = [layout] if layout else (["column", "row"] if hints.layout == "column" else ["row", "column"])
    forms = [labels] if labels else (["onehot", "integers"] if hints.labels == "onehot" else ["integers", "onehot"])
    out = []
    for lay in layouts:
        for lab in forms:
            out.extend([Attempt(lay, lab, "flat"), Attempt(lay, lab, "2d")] if lay == "row" else [Attempt(lay, lab)])
    return out


@dataclass
class Outcome:
    """One call: the gradients by parameter (in the row layout), the loss, or the error."""

    grads: dict[str, np.ndarray] = field(default_factory=dict)
    loss: float | None = None
    error: str | None = None
    returned: str = ""


def run(path: Path, call: Call, tried: list[Attempt], datasets: list[Dataset], timeout: float, isolate: bool):
    """Every attempt on every dataset in one box run: ({attempt key: [Outcome per dataset]}, failure, notes)."""
    prefix, unavailable = isolation() if isolate else ([], None)
    notes = [unavailable] if unavailable else []
    with tempfile.TemporaryDirectory(prefix="derivation-mlp-") as work:
        arrays = {}
        for i, d in enumerate(datasets):
            arrays |= {f"X{i}": d.X, f"y{i}": d.y, f"Y{i}": d.Y, f"reg{i}": np.array(d.reg)}
            arrays |= {f"{p}{i}": d.params[p] for p in PARAMETERS}
        np.savez(Path(work, "data.npz"), **arrays)
        job = {
            "file": str(path.resolve()),
            "function": call.function,
            "owner": call.owner,
            "args": [list(a) for a in call.args],
            "kwargs": [[k, list(v)] for k, v in call.kwargs],
            "attributes": [[k, list(v)] for k, v in call.attributes],
            "keys": call.keys,
            "returns": list(call.returns),
            "forward": [call.forward[0], [list(a) for a in call.forward[1]], [[k, list(v)] for k, v in call.forward[2]]]
            if call.forward
            else None,
            "count": len(datasets),
            "import_seconds": min(IMPORT_SECONDS, timeout / 3),
            "first_call_seconds": min(FIRST_CALL_SECONDS, timeout / 4),
            "call_seconds": min(CALL_SECONDS, timeout / 4),
            "attempts": [{"key": a.key, "layout": a.layout, "labels": a.labels, "bias": a.bias} for a in tried],
        }
        Path(work, "job.json").write_text(json.dumps(job), encoding="utf-8")
        failure = run_box([*prefix, sys.executable, "-c", box_source(), work], work, timeout)
        if failure is not None:
            return {}, _failure(failure, work), notes
        report = json.loads(Path(work, "report.json").read_text(encoding="utf-8"))
        if report.get("import"):  # before memory: a MemoryError on import is reported as the import's
            return {}, "importing the file " + error_text(report["import"]), notes
        if report.get("memory"):
            return {}, failure_text("memory", "1024"), notes
        if report.get("whole"):
            notes.append(f"importing the whole file {error_text(report['whole'])}: its script code was left out")
        stored = np.load(Path(work, "out.npz"))
        results: dict[str, list[Outcome]] = {a.key: [Outcome(error="not run") for _ in datasets] for a in tried}
        layouts = {a.key: a.layout for a in tried}
        for entry in report["calls"]:
            key, d = entry["key"], entry["d"]
            if entry.get("error"):
                results[key][d] = Outcome(error=error_text(entry["error"]), returned=entry.get("returned", ""))
                continue
            grads = {p: _to_rows(np.array(stored[f"{key}_{d}_{p}"]), p, layouts[key]) for p in PARAMETERS}
            results[key][d] = Outcome(grads, entry.get("loss"), None, entry.get("returned", ""))
    return results, None, notes


def _to_rows(array: np.ndarray, p: str, layout: str) -> np.ndarray:
    """A returned gradient in the row layout: columns transposed, (1, h) biases flattened."""
    if layout == "column" and array.ndim == 2:
        array = array.T
    return flat_bias(p, array)


def flat_bias(p: str, array: np.ndarray) -> np.ndarray:
    """A bias's gradient (or a slip's) of shape (1, h), (h, 1), (1, m) or (m, 1) as a vector: orientation is free."""
    return array.reshape(-1) if p.startswith("b") and array.ndim == 2 and 1 in array.shape else array


def _failure(failure: str, work: str) -> str:
    kind, _, rest = failure.partition(":")
    if failure_text(kind, rest):
        return failure_text(kind, rest)
    stage = Path(work, "stage").read_text(encoding="utf-8") if Path(work, "stage").exists() else "starting"
    if kind == "timeout":
        return f"timed out after {rest} s while {'importing the file' if stage == 'import' else 'calling it'}"
    return f"the process running it failed ({rest})"


__all__ = ["KINK", "SHAPES", "Attempt", "Dataset", "Outcome", "attempts", "flat_bias", "make_datasets", "run"]
