"""Where the user's code is: ``FILE:FUNCTION`` and the file's language, read without loading anything heavy.

The command line reads these before it knows whether there is anything to check (``--octave``, ``check mlp``
with a ``.m`` file), so this module imports nothing beyond the standard library.
"""

from __future__ import annotations

from pathlib import Path


def split_spec(spec: str) -> tuple[Path, str | None]:
    """``FILE:FUNCTION``, ``FILE:Class.method`` (or just ``FILE``) as a path and a function name.

    >>> split_spec("my_grad.py:compute_grad")
    (PosixPath('my_grad.py'), 'compute_grad')
    >>> split_spec("model.py:LogReg.gradient")
    (PosixPath('model.py'), 'LogReg.gradient')
    >>> split_spec("my_grad.py")
    (PosixPath('my_grad.py'), None)
    """
    head, sep, tail = spec.rpartition(":")
    if sep and head and tail and all(part.isidentifier() for part in tail.split(".")) and tail.count(".") <= 1:
        return Path(head), tail
    return Path(spec), None


def is_octave(path: Path) -> bool:
    """An Octave/MATLAB file: its name ends in .m."""
    return path.suffix.lower() == ".m"


__all__ = ["is_octave", "split_spec"]
