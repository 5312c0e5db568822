"""The zygote: a box's child forked from it is the process a plain start makes, and nothing outlives or leaks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from derivation.check import box
from derivation.check.usercode import run_user_function
from derivation.models import get_model
from derivation.oracle.datasets import make_datasets

pytestmark = pytest.mark.skipif(not box.FORK, reason="no fork here: boxes start the plain way only")

# What the box's first process sees of itself: everything a plain `python -c` start decides.
VIEW = """
import json, os, random, resource, signal, sys, tempfile
work = sys.argv[1]
names = sorted(globals())
view = {
    "names": names, "name": __name__, "argv": sys.argv == ["-c", work], "orig": sys.orig_argv[1::2] == ["-c", work],
    "path": sys.path, "cwd": os.getcwd() == os.path.join(work, "run"), "tmp": tempfile.gettempdir() == work,
    "env": {k: v for k, v in os.environ.items() if k not in ("DERIVATION_BOX", "TMPDIR")},
    "token": ("DERIVATION_BOX=" + os.environ["DERIVATION_BOX"]).encode() in open("/proc/self/environ", "rb").read(),
    "session": os.getsid(0) == os.getpid() == os.getpgrp(), "fds": sorted(os.listdir("/proc/self/fd")),
    "stdin": os.read(0, 10) == b"", "threads": len(os.listdir("/proc/self/task")),
    "signals": {s: str(signal.getsignal(getattr(signal, s))) for s in ("SIGINT", "SIGPIPE", "SIGXFSZ", "SIGCHLD")},
    "blocked": sorted(signal.pthread_sigmask(signal.SIG_BLOCK, [])), "data": resource.getrlimit(resource.RLIMIT_DATA),
    "stdout": [sys.stdout.encoding, sys.stdout.line_buffering, sys.stderr.errors], "random": random.random(),
}
json.dump(view, open(os.path.join(work, "report.json"), "w"))
print("to stdout")
print("to stderr", file=sys.stderr)
"""


def run_source(tmp_path: Path, source: str, name: str = "w", timeout: float = 10) -> tuple[str | None, dict, str]:
    """run_box on ``python -c source``: (failure, its report.json or {}, stdout + stderr)."""
    work = tmp_path / name
    work.mkdir()
    failure = box.run_box([sys.executable, "-c", textwrap.dedent(source), str(work)], str(work), timeout)
    report = json.loads((work / "report.json").read_text()) if (work / "report.json").exists() else {}
    return failure, report, (work / "stdout.txt").read_text() + (work / "stderr.txt").read_text()


def zygotes() -> set[int]:
    """The pids of this process's live zygotes (one, unless boxes ran at once in threads)."""
    return {z.proc.pid for z in box._ZYGOTES if z.proc.poll() is None}


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def child_of(pid: int, parents: set[int]) -> bool:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]) in parents
    except OSError:
        return False


def test_a_forked_child_sees_what_a_started_one_sees(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVATION_TEST_SEEN", "1")  # set after the zygote may have started: its children see it
    forked = [run_source(tmp_path, VIEW, f"fork{i}") for i in range(2)]
    started_once = zygotes()
    monkeypatch.setattr(box, "FORK", False)
    started = run_source(tmp_path, VIEW, "plain")
    for failure, view, printed in forked:
        assert failure is None and printed == "to stdout\nto stderr\n"
        assert view["env"]["DERIVATION_TEST_SEEN"] == "1"
        assert {k: v for k, v in view.items() if k != "random"} == {
            k: v for k, v in started[1].items() if k != "random"
        }
        assert all(v for v in view.values() if isinstance(v, bool))
    assert forked[0][1]["random"] != forked[1][1]["random"]  # seeded in each child, not once in the zygote
    assert started_once and all(len(os.listdir(f"/proc/{pid}/task")) == 1 for pid in started_once)  # no BLAS thread


@pytest.mark.parametrize(
    "source",
    [
        "raise ValueError('boom')",
        "import sys; sys.exit(3)",
        "raise SystemExit('bye')",
        "import os; os.kill(os.getpid(), 9)",
    ],
)
def test_an_ending_is_told_as_a_started_child_tells_it(tmp_path, monkeypatch, source):
    forked = run_source(tmp_path, source, "fork")
    monkeypatch.setattr(box, "FORK", False)
    assert forked == run_source(tmp_path, source, "plain")


LEAK = """
import json, numpy as np
def grad(theta, X, y):
    assert not hasattr(np, "leak") and not hasattr(json, "leak"), "a module changed by the last job"
    np.leak = json.leak = 1
    A = np.random.default_rng(0).normal(size=(120, 120))
    if not np.allclose(A @ A.T, (A[:, None, :] * A[None, :, :]).sum(axis=2)):  # BLAS's product, in the fork
        raise ValueError("BLAS is wrong in a forked child")
    return X.T @ (1 / (1 + np.exp(-X @ theta)) - y) / len(y)
"""


def test_each_job_is_a_new_fork_and_blas_is_right_in_it(tmp_path):
    path = tmp_path / "user.py"
    path.write_text(LEAK, encoding="utf-8")
    data = make_datasets(get_model("logistic"))
    runs = [run_user_function(f"{path}:grad", data, timeout=20)]
    used = zygotes()
    runs.append(run_user_function(f"{path}:grad", data, timeout=20))
    assert [r.failure for r in runs] == [None, None]
    assert all(not hasattr(r, "error") for run in runs for r in run.results["given-flat-binary"])
    assert used and zygotes() == used


def test_a_timeout_kills_the_job_not_the_zygote(tmp_path):
    run_source(tmp_path, "", "warm")
    before = zygotes()
    assert run_source(tmp_path, "import time; time.sleep(10)", "job", timeout=0.5)[0] == "timeout:0.5"
    assert before and zygotes() == before
    children = [p for p in os.listdir("/proc") if p.isdigit() and child_of(int(p), before)]
    assert not children  # the killed job was reaped: no zombie left under the zygote


def test_a_dead_zygote_is_replaced_and_the_job_still_runs(tmp_path):
    assert run_source(tmp_path, VIEW, "a")[0] is None
    dead = zygotes()
    for pid in dead:
        os.kill(pid, signal.SIGKILL)
    failure, view, _ = run_source(tmp_path, VIEW, "b")  # forked by a new zygote, or started plainly if it seemed alive
    assert failure is None and view["token"]
    assert run_source(tmp_path, VIEW, "c")[0] is None
    assert zygotes() and not zygotes() & dead


def test_a_zygote_that_dies_under_its_job_is_not_told(tmp_path):
    source = """
        import json, os, sys, time
        flag = os.path.join(sys.argv[1], "..", "flag")
        if os.path.exists(flag):  # the first run: kill the zygote (our parent) under us; the second runs plainly
            os.remove(flag)
            os.kill(os.getppid(), 9)
            time.sleep(30)  # past run_source's timeout: had its loss gone unseen, this run would time out
        json.dump({"ran": True}, open(os.path.join(sys.argv[1], "report.json"), "w"))
    """
    run_source(tmp_path, "", "warm")
    (tmp_path / "flag").touch()
    assert run_source(tmp_path, source, "job") == (None, {"ran": True}, "")


def test_boxes_of_two_threads_both_run(tmp_path):
    results = {}

    def one(name):
        results[name] = run_source(tmp_path, VIEW, name)[:2]

    threads = [threading.Thread(target=one, args=(f"t{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [results[f"t{i}"][0] for i in range(2)] == [None, None]
    assert all(results[f"t{i}"][1]["session"] for i in range(2))
    assert 1 <= len(zygotes()) <= box.ZYGOTES


EXITING = """
import os, sys, tempfile, signal
from derivation.check import box
work = tempfile.mkdtemp()
assert box.run_box([sys.executable, "-c", "import os, sys; open(os.path.join(sys.argv[1], 'report.json'), 'w')", work],
                   work, 10) is None
print(*(z.proc.pid for z in box._ZYGOTES), flush=True)
if sys.argv[1] == "killed":
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("how", ["exits", "killed"])
def test_the_zygote_ends_with_its_parent(how):
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", EXITING, how], capture_output=True, text=True, cwd=root, timeout=60)
    pids = [int(pid) for pid in done.stdout.split()]
    for _ in range(500):  # at once, unless the machine is busy
        if not any(alive(pid) for pid in pids):
            break
        time.sleep(0.02)
    assert pids and not any(alive(pid) for pid in pids)


def test_the_plain_start_is_the_fallback(tmp_path, monkeypatch):
    monkeypatch.setattr(box, "_ZYGOTES", [])
    monkeypatch.setattr(box, "READY_SECONDS", 0.0)  # it cannot be ready that soon
    monkeypatch.setattr(box, "_FAILED", {})
    failure, view, _ = run_source(tmp_path, VIEW)
    assert failure is None and view["session"] and box._ZYGOTES == []
    assert np.isfinite(view["random"])
