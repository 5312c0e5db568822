"""The command line run inside the test process: the same main(), output and exit code, without a new interpreter.

Starting a Python process that imports SymPy costs about a second, and the suite runs the command
line a few hundred times; tests that need a real process (standard input, startup time, the
installed script, signals) start one themselves.
"""

from __future__ import annotations

import io
import subprocess
from contextlib import redirect_stderr, redirect_stdout

from derivation.cli import main


def run_cli(*args: str, timeout: float | None = None) -> subprocess.CompletedProcess:
    """``derivation ARGS`` as a finished process: exit code, standard output and standard error as text.

    ``timeout`` is accepted for the callers' sake and not enforced: the commands bound their own time.
    """
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as stop:  # argparse's usage errors and --help
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
    return subprocess.CompletedProcess(["derivation", *args], code, out.getvalue(), err.getvalue())
