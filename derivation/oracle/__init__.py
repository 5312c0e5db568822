"""The one checker of equalities: symbolic first, then sampling on concrete data."""

from .equality import checked_equality, sympy_oracle, verify_derivation, verify_equality
from .finite import finite_difference_verdict

__all__ = ["checked_equality", "finite_difference_verdict", "sympy_oracle", "verify_derivation", "verify_equality"]
