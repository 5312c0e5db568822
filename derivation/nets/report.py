"""The report of ``check mlp``: one finding per parameter, and the report as text, Markdown or JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .faults import Fault

CORRECT, INCORRECT, UNDECIDED = "correct", "incorrect", "undecided"


@dataclass
class Finding:
    """One parameter's verdict."""

    parameter: str
    right: bool
    fault: Fault | None = None
    example: str = ""
    worst: float = 0.0
    also: Fault | None = None  # a second slip in the same gradient

    @property
    def key(self) -> str | None:
        """The slip's key ("no-mean"), two joined by "+", or None."""
        return "+".join(f.key for f in (self.fault, self.also) if f) or None

    @property
    def slip(self) -> str:
        if self.fault is None:
            return "wrong, and no known slip gives these values"
        return self.fault.name if self.also is None else f"two slips: {self.fault.name}; and {self.also.name}"

    @property
    def fix(self) -> str:
        return "; ".join(f.fix for f in (self.fault, self.also) if f)


@dataclass
class MLPReport:
    """The result of checking a backprop function: status, conventions used, one finding per parameter."""

    status: str
    function: str
    reason: str
    convention: str = ""
    network: str = ""
    decided: dict[str, str] = field(default_factory=dict)  # what decided each of activation, output, L2
    findings: list[Finding] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 correct, 1 incorrect or undecided (as ``check``'s reports)."""
        return 0 if self.status == CORRECT else 1

    def faults(self) -> dict[str, str | None]:
        """Each wrong parameter's fault key (None: wrong, not named)."""
        return {f.parameter: f.key for f in self.findings if not f.right}

    def to_dict(self) -> dict:
        out = {k: v for k, v in self.__dict__.items() if k != "findings"}
        out["findings"] = [
            {"parameter": f.parameter, "right": f.right, "fault": f.key, "fault_text": None if f.right else f.slip,
             "example": f.example, "worst": f.worst}
            for f in self.findings
        ]  # fmt: skip
        return out

    def render(self, fmt: str = "text", *, ascii: bool = False) -> str:
        """The report as "text" (Unicode; ``ascii`` for plain terminals), "markdown" or "json" (with exit_code)."""
        from ..printing.expr import ascii_text, visible

        if fmt == "json":
            data = self.to_dict() | {"exit_code": self.exit_code}
            return json.dumps(data, ensure_ascii=ascii, indent=2)
        if fmt not in ("text", "markdown"):
            raise ValueError(f"unknown format {fmt!r} for check mlp; valid formats: text, json, markdown")
        text = visible(self.text())  # the user's names and messages may carry control characters
        text = ascii_text(text) if ascii else text
        if fmt == "markdown":
            head, _, rest = text.partition("\n")
            return f"**{head}**\n\n````\n{rest}\n````"
        return text

    def text(self) -> str:
        mark = {CORRECT: "✓ CORRECT", INCORRECT: "✗ INCORRECT", UNDECIDED: "? UNDECIDED"}[self.status]
        lines = [f"derivation check mlp — NumPy function {self.function}", f"{mark}: {self.reason}"]
        if self.network:
            lines.append(f"Network: {self.network}")
            lines.extend(f"  {what}: {how}" for what, how in self.decided.items())  # "hidden activation ReLU: from …"
        if self.convention:
            lines.append(f"Called with {self.convention}")
        if self.datasets:
            lines.append(f"Datasets (float64): {'; '.join(self.datasets)}")
        groups: dict[str, list[Finding]] = {}  # one slip, the parameters it spoils, together
        for f in self.findings:
            if not f.right:
                groups.setdefault(f.slip if f.fault else f"unnamed {f.parameter}", []).append(f)
        for group in groups.values():
            lines.append(f"  ✗ {', '.join(f.parameter for f in group)}: {group[0].slip}")
            lines.extend(f"      {f.example}" for f in group if f.example)
            if group[0].fault:
                lines.append(f"      fix: {group[0].fix}")
        for f in self.findings:
            if f.right:
                worst = f"{f.worst:.0e}" if f.worst else "0"
                lines.append(f"  ✓ {f.parameter} = ∂J/∂{f.parameter} on every dataset (largest relative error {worst})")
        lines.extend(f"Note: {n}" for n in self.notes)
        lines.append(f"Time: {self.seconds:.2f} s")
        return "\n".join(lines)


__all__ = ["CORRECT", "INCORRECT", "UNDECIDED", "Finding", "MLPReport"]
