"""NumPy code generated from the symbolic matrix forms, and the runtime kernels built from it."""

from .runtime import Kernel, kernel, kernel_from_model, kernel_source, module_source, write_kernel_module

__all__ = ["Kernel", "kernel", "kernel_from_model", "kernel_source", "module_source", "write_kernel_module"]
