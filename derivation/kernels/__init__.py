"""NumPy code generated from the symbolic matrix forms, and the runtime kernels built from it.

The names below load :mod:`.runtime` (and SymPy) on first use, not on import: a Dask worker that unpickles
a task of :mod:`.distributed` imports this package and needs NumPy only.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Kernel", "kernel", "kernel_from_model", "kernel_source", "module_source", "write_kernel_module"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module(".runtime", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
