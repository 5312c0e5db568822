"""derivation: derive, explain and check the gradients of machine-learning cost functions.

>>> import derivation
>>> d = derivation.derive_model("logistic")
>>> d.verified
True
>>> print(derivation.render_expr(d.result))
[(1/m) Xᵀ(σ(Xθ) − y)]_j
"""

from .core.functions import sigmoid
from .core.models import MODELS, Model, get_model
from .core.steps import Check, Derivation, Step, Verdict
from .derive.api import derive, derive_hessian, derive_model
from .oracle.equality import verify_derivation, verify_equality
from .printing import render, render_expr

__version__ = "0.1.0"

# Loaded on first use (PEP 562): the command line's start-up should not pay for NumPy
# code generation or the gradient checker when it only prints a derivation.
_LAZY = {
    "check_gradient": "check",
    "GradientReport": "check",
    "kernel": "kernels",
    "Kernel": "kernels",
    "kernel_source": "kernels",
    "write_kernel_module": "kernels",
    "verify_text": "proof",
    "ProofReport": "proof",
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'derivation' has no attribute {name!r}")

__all__ = [
    # derive
    "derive",
    "derive_model",
    "derive_hessian",
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
