"""Each catalog derivation once per test process (each xdist worker): several files test the same derivations.

test_engine checks every step, test_latex_compiles compiles it, test_parse_latex reads it back, test_proof and
test_proof_mutations verify its export, test_catalog_models compares it with the hand-written forms; deriving
and verifying the whole catalog costs about 20 s of CPU, which each file paid again.  A Derivation is frozen,
so sharing one is safe.
"""

from __future__ import annotations

from functools import cache

from derivation import derive_hessian, derive_model
from derivation.core.steps import Derivation


@cache
def derived(name: str, form: str = "sum") -> Derivation:
    """``derive_model(name, form)``, computed once per process."""
    return derive_model(name, form)


@cache
def derived_hessian(name: str) -> Derivation:
    """``derive_hessian(name)``, computed once per process."""
    return derive_hessian(name)
