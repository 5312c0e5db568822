"""The box a user's function runs in: what escapes, floods, hogs or signals is stopped and told in one line."""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest

from derivation.check import box
from derivation.check.usercode import CallError, run_user_function
from derivation.models import get_model
from derivation.oracle.datasets import make_datasets

LOGISTIC = make_datasets(get_model("logistic"))
CORRECT = """
import numpy as np

def grad(theta, X, y):
    return X.T @ (1 / (1 + np.exp(-X @ theta)) - y) / len(y)
"""


def run(tmp_path: Path, source: str, timeout: float = 3.0):
    path = tmp_path / "user.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    start = time.monotonic()
    result = run_user_function(f"{path}:grad", LOGISTIC, timeout=timeout)
    return result, time.monotonic() - start


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(path: Path) -> int:
    for _ in range(100):
        if path.exists() and path.read_text().strip():
            return int(path.read_text())
        time.sleep(0.05)
    raise AssertionError(f"{path} was not written")


ESCAPES = {
    "setsid": """
        import os, time
        def grad(theta, X, y):
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    open({pid!r}, "w").write(str(os.getpid()))
                    time.sleep(8)
                    open({late!r}, "w").write("still here")
                os._exit(0)
            while True:
                pass
    """,
    "exec without the environment": """
        import os
        def grad(theta, X, y):
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    open({pid!r}, "w").write(str(os.getpid()))
                    os.execve("/bin/sh", ["sh", "-c", "sleep 8; echo still here > {late}"], {{}})
                os._exit(0)
            while True:
                pass
    """,
}


@pytest.mark.parametrize("how", sorted(ESCAPES))
def test_a_double_fork_does_not_outlive_the_deadline(tmp_path, how):
    pid_file, late = tmp_path / "pid", tmp_path / "late"
    result, seconds = run(tmp_path, ESCAPES[how].format(pid=str(pid_file), late=str(late)), timeout=2)
    assert result.failure.startswith("timed out after 2 s")
    assert seconds < 4  # the grandchild holds no pipe we wait on
    assert not alive(wait_for(pid_file))


def test_a_flood_of_output_is_cut(tmp_path, monkeypatch):
    monkeypatch.setattr(box, "OUTPUT_BYTES", 100_000)
    source = """
        def grad(theta, X, y):
            while True:
                print("x" * 1000)
    """
    result, seconds = run(tmp_path, source, timeout=5)
    assert result.failure == (
        "it printed more than 100,000 bytes (cut): print less, or nothing, from the gradient function"
    )
    assert seconds < 4


def test_one_write_past_the_cap_is_cut_too(tmp_path, monkeypatch):
    monkeypatch.setattr(box, "OUTPUT_BYTES", 100_000)
    source = """
        import os
        def grad(theta, X, y):
            os.write(1, b"x" * 10_000_000)
            return theta
    """
    result, _ = run(tmp_path, source)
    assert result.failure.startswith("it printed more than 100,000 bytes (cut)")


def test_some_printing_is_fine(tmp_path, monkeypatch):
    monkeypatch.setattr(box, "OUTPUT_BYTES", 100_000)
    result, _ = run(tmp_path, CORRECT.replace("    return", "    print('debug', theta)\n    return"))
    assert result.failure is None
    assert result.results["given-flat-binary"][0].shape == (2,)


def test_memory_without_end_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(box, "MEMORY_MB", 300)
    source = """
        import numpy as np
        def grad(theta, X, y):
            keep = []
            while True:
                keep.append(np.ones(10**6))
    """
    result, seconds = run(tmp_path, source, timeout=8)
    assert result.failure == "it used more than 300 MB of memory: an array that grows without end?"
    assert seconds < 8


def test_memory_spread_over_processes_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(box, "MEMORY_MB", 300)
    source = """
        import os, time
        import numpy as np
        def grad(theta, X, y):
            for _ in range(4):  # each under the per-process limit, together past it
                if os.fork() == 0:
                    block = np.ones(25 * 10**6 // 2)
                    time.sleep(30)
            time.sleep(30)
    """
    result, seconds = run(tmp_path, source, timeout=8)
    assert result.failure == "it used more than 300 MB of memory: an array that grows without end?"
    assert seconds < 8


def test_a_function_that_kills_its_parent_does_not_kill_us(tmp_path):
    source = """
        import os, signal
        def grad(theta, X, y):
            os.kill(os.getppid(), signal.SIGKILL)
    """
    result, _ = run(tmp_path, source)
    assert result.failure.startswith("the function killed its parent process (it sent signal 9")
    assert os.getpid() > 0  # still here


def test_a_function_that_kills_itself_is_told_as_before(tmp_path):
    source = """
        import os, signal
        def grad(theta, X, y):
            os.kill(os.getpid(), signal.SIGKILL)
    """
    result, _ = run(tmp_path, source)
    assert result.failure.startswith("the process running it was killed by signal 9")


NETWORK = """
import numpy as np

def grad(theta, X, y):
    with open("/proc/self/net/dev") as f:
        interfaces = [line.split(":")[0].strip() for line in f.readlines()[2:]]
    if interfaces != ["lo"]:
        raise RuntimeError("network: " + " ".join(interfaces))
    return X.T @ (1 / (1 + np.exp(-X @ theta)) - y) / len(y)
"""


def test_isolate_runs_it_without_network_or_says_why_not(tmp_path):
    path = tmp_path / "user.py"
    path.write_text(NETWORK, encoding="utf-8")
    unavailable = box.isolation()[1]
    result = run_user_function(f"{path}:grad", LOGISTIC, timeout=5, isolate=True)
    if unavailable:
        assert unavailable in result.notes
    else:
        assert result.failure is None and not isinstance(result.results["given-flat-binary"][0], CallError)


def test_without_isolate_the_network_is_as_it_is(tmp_path):
    path = tmp_path / "user.py"
    path.write_text(NETWORK, encoding="utf-8")
    with open("/proc/self/net/dev") as f:
        if len(f.readlines()) <= 3:
            pytest.skip("this machine has no network interface but lo")
    result = run_user_function(f"{path}:grad", LOGISTIC, timeout=5)
    assert isinstance(result.results["given-flat-binary"][0], CallError)


def test_a_function_that_kills_its_parent_inside_isolation_is_told_the_same(tmp_path):
    unavailable = box.isolation()[1]
    if unavailable:
        pytest.skip(unavailable)
    path = tmp_path / "user.py"
    path.write_text("import os\ndef grad(theta, X, y):\n    os.kill(os.getppid(), 9)\n", encoding="utf-8")
    result = run_user_function(f"{path}:grad", LOGISTIC, timeout=5, isolate=True)
    assert result.failure.startswith("the function killed its parent process (it sent signal 9")
