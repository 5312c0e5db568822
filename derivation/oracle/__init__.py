"""The one checker of equalities: symbolic first, then sampling on concrete data."""

from .equality import sympy_oracle, verify_derivation, verify_equality

__all__ = ["sympy_oracle", "verify_derivation", "verify_equality"]
