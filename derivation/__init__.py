"""derivation: derive, explain and check the gradients of machine-learning cost functions.

>>> import derivation
>>> d = derivation.derive_model("logistic")
>>> d.verified
True
>>> print(derivation.render_expr(d.result))
[(1/m) Xᵀ(σ(Xθ) − y)]_j
"""

from __future__ import annotations

import sys
import types
from importlib import import_module

__version__ = "0.1.0"

# Everything is loaded on first use (PEP 562): the command line imports this package too, and
# `derivation --help`, `derivation models` and a usage error must not wait for SymPy.
_LAZY = {
    "derive": "derive.api",
    "derive_model": "derive.api",
    "derive_hessian": "derive.api",
    "derive_cost": "derive.costs",
    "MODELS": "models",
    "Model": "core.models",
    "get_model": "models",
    "sigmoid": "core.functions",
    "Check": "core.steps",
    "Derivation": "core.steps",
    "Step": "core.steps",
    "Verdict": "core.steps",
    "verify_derivation": "oracle.equality",
    "verify_equality": "oracle.equality",
    "render": "printing",
    "render_expr": "printing",
    "check_gradient": "check",
    "GradientReport": "check",
    "kernel": "kernels",
    "Kernel": "kernels",
    "kernel_source": "kernels",
    "write_kernel_module": "kernels",
    "fit": "fit",
    "FitResult": "fit",
    "verify_text": "proof",
    "ProofReport": "proof",
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'derivation' has no attribute {name!r}")
    import_module(".printing", __name__)  # registers how a Derivation prints itself (str, Jupyter)
    value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


class _Package(types.ModuleType):
    """This package; ``derivation.derive`` and ``derivation.fit`` stay functions when the (sub)modules of those names
    are imported."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in ("derive", "fit") and isinstance(value, types.ModuleType):
            return  # the import system binds each loaded subpackage on its parent; ours is found in sys.modules
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    # derive
    "derive",
    "derive_model",
    "derive_hessian",
    "derive_cost",
    # the catalog
    "MODELS",
    "Model",
    "get_model",
    "sigmoid",
    # code
    "kernel",
    "Kernel",
    "kernel_source",
    "write_kernel_module",
    "fit",
    "FitResult",
    # check
    "check_gradient",
    "GradientReport",
    "verify_derivation",
    "verify_equality",
    "verify_text",
    "ProofReport",
    # data and output
    "Check",
    "Derivation",
    "Step",
    "Verdict",
    "render",
    "render_expr",
]
