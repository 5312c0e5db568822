"""The derivation engine: one named rule per step, then algebra and vectorisation."""

from .api import derive, derive_hessian, derive_model

__all__ = ["derive", "derive_hessian", "derive_model"]
