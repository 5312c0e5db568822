"""Judging what came back: per parameter, equal to the reference's gradient, or the fault whose values it gives.

The reference is :class:`derivation.nets.faults.Net` (on :class:`derivation.nets.network.Network`'s
forward pass) under a convention (hidden activation, output, L2), chosen from the loss the function
returns, else from the source and the options; a wrong gradient is matched against the faults of
:mod:`derivation.nets.faults` (one, or two at once) and shown with one entry as a counterexample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .conventions import Hints
from .faults import FAULTS, L2, PARAMETERS, Fault, Net
from .network import HIDDEN
from .report import Finding
from .run import Dataset, Outcome, flat_bias

TOLERANCE = {"float64": 1e-8, "float32": 1e-4}  # relative, as the θ checker's
ACTIVATION_WORDS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"}


@dataclass(frozen=True)
class Convention:
    """The network a gradient is judged under: hidden activation, output, L2 penalty."""

    activation: str
    output: str
    l2: str

    def text(self) -> str:
        out = "softmax cross-entropy" if self.output == "softmax" else "sigmoid cross-entropy"
        return f"hidden {ACTIVATION_WORDS[self.activation]}, output {out}, L2 {L2[self.l2][0]} (biases not penalised)"


def _close(received: np.ndarray, expected: np.ndarray, tol: float, floor: float = 0.0) -> bool:
    """Equal shapes and values within ``tol`` of the larger of ``expected``'s size and ``floor`` (∇J's, for a slip:
    softmax's δ² summed over classes is 0 up to rounding, and so is the slip's)."""
    if received.shape != expected.shape or not np.all(np.isfinite(received)):
        return False
    scale = max(float(np.max(np.abs(expected), initial=0.0)), floor, 1e-12)
    return float(np.max(np.abs(received - expected), initial=0.0)) <= tol * scale


def _matches(pairs, values: list[np.ndarray], tol: float) -> bool:
    """What it returned equals ``values`` (a slip's) on every dataset, within tol of ∇J's size."""
    return all(_close(r, v, tol, _size(e)) for (r, e, _), v in zip(pairs, values, strict=True))


def _size(array: np.ndarray) -> float:
    return float(np.max(np.abs(array), initial=0.0))


def _relative(received: np.ndarray, expected: np.ndarray) -> float:
    scale = max(float(np.max(np.abs(expected), initial=0.0)), 1e-12)
    return float(np.max(np.abs(received - expected), initial=0.0)) / scale


def _tolerance(outcomes: list[Outcome]) -> float:
    single = any(g.dtype == np.float32 for o in outcomes for g in o.grads.values())
    return TOLERANCE["float32" if single else "float64"]


class Judge:
    """The reference and the faults' gradients on every dataset, per convention (computed once)."""

    def __init__(self, datasets: list[Dataset]) -> None:
        self.datasets = datasets
        self._nets: dict[tuple[Convention, int], Net] = {}
        self._faults: dict[tuple[Convention, int], list] = {}

    def net(self, conv: Convention, d: int) -> Net:
        if (conv, d) not in self._nets:
            data = self.datasets[d]
            self._nets[conv, d] = Net(data.X, data.Y, data.params, data.reg, conv.activation, conv.output, conv.l2)
        return self._nets[conv, d]

    def expected(self, conv: Convention, d: int) -> dict[str, np.ndarray]:
        return self.net(conv, d).backward()

    def variants(self, conv: Convention, d: int) -> list[tuple[Fault, dict[str, np.ndarray]]]:
        if (conv, d) not in self._faults:
            net = self.net(conv, d)
            self._faults[conv, d] = [(f, f.gradient(net)) for f in FAULTS]
        return self._faults[conv, d]

    def assess(self, conv: Convention, outcomes: list[Outcome], layout: str = "row") -> list[Finding]:
        """Per parameter: right on every dataset it ran on, or the fault whose values it returns.

        Where several slips give a parameter's values (a bias has no penalty, so −∇J and (Y − P) agree on it),
        the one that explains most parameters is named, so that one slip is reported once.
        """
        ran = [d for d, o in enumerate(outcomes) if o.error is None]
        tol = _tolerance(outcomes)
        findings, matched, wrong = [], {}, {}
        for p in PARAMETERS:
            pairs = [(outcomes[d].grads[p], flat_bias(p, self.expected(conv, d)[p]), d) for d in ran]
            if pairs and all(_close(r, e, tol) for r, e, _ in pairs):
                findings.append(Finding(p, True, worst=max(_relative(r, e) for r, e, _ in pairs)))
                continue
            slips = self._slips(conv, p, ran, pairs, tol)
            matched[p] = [f for f, v in slips if _matches(pairs, v, tol)]
            wrong[p] = (pairs, slips)
        counts = {f: sum(f in found for found in matched.values()) for found in matched.values() for f in found}
        for p, (pairs, slips) in wrong.items():
            fault = max(matched[p], key=lambda f: (counts[f], -FAULTS.index(f)), default=None)
            also = None
            if fault is None:  # two slips at once, each adding its own change to ∇J (no 1/m and a penalised bias)
                fault, also = self._two_slips(slips, pairs, tol)
            findings.append(Finding(p, False, fault, self._example(p, pairs, fault, layout), also=also))
        findings.sort(key=lambda f: PARAMETERS.index(f.parameter))
        return findings

    def _slips(self, conv: Convention, p: str, ran: list[int], pairs, tol: float) -> list[tuple[Fault, list]]:
        """The faults that change ∂J/∂p on these datasets, with their values (biases as vectors)."""
        out = []
        for index, fault in enumerate(FAULTS):
            values = [self.variants(conv, d)[index][1].get(p) for d in ran]
            if not values or any(v is None for v in values):
                continue
            values = [flat_bias(p, v) for v in values]
            if not all(_close(v, e, tol) for v, (_, e, _) in zip(values, pairs, strict=True)):
                out.append((fault, values))
        return out

    @staticmethod
    def _two_slips(slips: list[tuple[Fault, list]], pairs, tol: float) -> tuple[Fault | None, Fault | None]:
        """Two different slips whose changes to ∇J, added, give what it returned."""
        shaped = [(f, v) for f, v in slips if all(w.shape == e.shape for w, (_, e, _) in zip(v, pairs, strict=True))]
        for i, (first, a) in enumerate(shaped):
            for second, b in shaped[i + 1 :]:
                if first.key == second.key:
                    continue
                if _matches(pairs, [x + y - e for x, y, (_, e, _) in zip(a, b, pairs, strict=True)], tol):
                    return first, second
        return None, None

    def _example(self, p: str, pairs, fault: Fault | None, layout: str) -> str:
        """One entry where received and expected differ: its dataset, index (in the user's layout), both values."""
        if not pairs:
            return ""
        same = [(r, e, d) for r, e, d in pairs if r.shape == e.shape]
        if not same:
            r, e, d = pairs[0]
            text = f"{p} on dataset {d + 1} ({self.datasets[d].shape_text}): received shape {_shape(r, layout)}, "
            text += f"expected {_shape(e, layout)}"
            if r.shape == e.T.shape and e.ndim == 2:
                i, j = np.unravel_index(int(np.argmax(np.abs(e))), e.shape)
                text += f"; received[{j}, {i}] = {r[j, i]:.6g} is ∂J/∂{p}[{i}, {j}] = {e[i, j]:.6g}"
            return text
        r, e, d = max(same, key=lambda t: float(np.max(np.abs(t[0] - t[1]), initial=0.0)))
        index = tuple(int(i) for i in np.unravel_index(int(np.argmax(np.abs(r - e))), e.shape))
        shown = index[::-1] if layout == "column" else index  # W1 (h, n), b1 (h, 1) in Andrew Ng's layout
        shown = (*shown, 0) if layout == "column" and len(index) == 1 else shown
        where = f"{p}[{', '.join(map(str, shown))}]"
        text = f"{where} on dataset {d + 1} ({self.datasets[d].shape_text}): "
        text += f"expected {e[index]:.6g}, received {r[index]:.6g}"
        if fault is not None and fault.key == "relu-geq":
            text += " — at the kink: Z1[0, 0] = 0 exactly (x⁽¹⁾ = 0, b1[0] = 0), where ReLU′ = 1[z > 0] is 0"
        return text


def _shape(array: np.ndarray, layout: str) -> tuple[int, ...]:
    """An array's shape as the user's layout has it (our row-layout arrays transposed for Andrew Ng's columns)."""
    if layout != "column":
        return array.shape
    return (*array.shape, 1) if array.ndim == 1 else array.shape[::-1]


def likely_conventions(
    outcomes: list[Outcome], judge: Judge, hints: Hints, output: str, options: dict, takes_reg: bool
) -> tuple[list[Convention], dict[str, str], list[str]]:
    """The conventions to judge under, the likeliest first, with what decided each and notes."""
    notes: list[str] = []
    acts = [options["activation"]] if options.get("activation") else None
    l2s = [options["l2"]] if options.get("l2") else None
    decided = {}
    ran = [d for d, o in enumerate(outcomes) if o.error is None]
    losses = [outcomes[d].loss for d in ran]
    by_loss = []
    if ran and all(loss is not None for loss in losses):
        for act in acts or HIDDEN:
            for l2 in l2s or L2:
                conv = Convention(act, output, l2)
                if all(
                    abs(loss - judge.net(conv, d).loss()) <= 1e-6 * (1 + abs(loss))
                    for loss, d in zip(losses, ran, strict=True)
                ):
                    by_loss.append(conv)
        if not by_loss:
            notes.append(
                "the loss it returns matches no network of this kind (its loss is wrong too, or its penalty is none "
                "of reg·ΣW², (reg/2)·ΣW², (λ/2m)·ΣW²)"
            )
    if by_loss:
        by_loss.sort(key=lambda c: (c.activation != hints.activation, c.l2 != hints.l2))
        decided["activation"] = "option" if acts else "from the loss it returns"
        decided["L2"] = "option" if l2s else "from the loss it returns"
        return by_loss, decided, notes
    if acts is None:
        acts = [hints.activation] if hints.activation else []
        acts += [a for a in HIDDEN if a not in acts]
        decided["activation"] = (
            f"from the source ({hints.evidence['activation']})" if hints.activation else "the one its values fit"
        )
    else:
        decided["activation"] = "option"
    if l2s is None:
        if not takes_reg:
            l2s, decided["L2"] = ["none"], "it takes no reg"
        elif hints.l2:
            l2s, decided["L2"] = [hints.l2], f"from the source ({hints.evidence['l2']})"
        else:
            l2s, decided["L2"] = (
                ["sum"],
                "assumed (the source does not say): give --l2 half or half-m if J has (reg/2)·ΣW² or (λ/2m)·ΣW²",
            )
    else:
        decided["L2"] = "option"
    return [Convention(a, output, l2) for a in acts for l2 in l2s], decided, notes


__all__ = ["ACTIVATION_WORDS", "TOLERANCE", "Convention", "Judge", "likely_conventions"]
