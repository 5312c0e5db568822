"""pytest's collection from the repository root (testpaths: tests and derivation, for the doctests)."""

import importlib.util

# The compiled kernels' prelude is text copied into generated modules (it has no doctests) and imports numba, an
# optional extra (derivation[fast]): without numba it is not collected; tests/test_kernels_compiled.py then skips,
# saying why.
collect_ignore = [] if importlib.util.find_spec("numba") else ["derivation/kernels/numba_prelude.py"]
