"""The box a user's function runs in: a child process with a deadline and caps on output and memory.

It is a separate process with limits, not a security sandbox for untrusted code.

* Time: the parent never waits on a pipe (the child's output goes to files), only on the
  process, until the deadline; then everything in the box is killed.
* The box: the runner's session, every descendant (the runner's first process is a child
  subreaper, so orphans stay in its tree), and any process whose environment carries this
  run's token (a double fork with ``os.setsid()`` keeps it).  All are SIGKILLed at the end.
* Output: stdout and stderr go to files capped by RLIMIT_FSIZE (the child is killed by
  SIGXFSZ past the cap) and watched here; past ``OUTPUT_BYTES`` the run stops.
* Memory: RLIMIT_DATA in the child (it counts NumPy's malloc and mmap allocations, which then
  raise MemoryError; RLIMIT_AS is not used, it breaks OpenBLAS), and a watchdog on the summed
  resident size of the box's processes (from /proc), which also catches a forked allocator.
* Signals: the user's call runs in a grandchild, so ``os.kill(os.getppid(), SIGKILL)`` kills
  the runner's first process, not us; that is reported as what the function did.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import time
from pathlib import Path

OUTPUT_BYTES = 8 * 2**20  # what the child may print (stdout and stderr together)
MEMORY_MB = 1024  # what the box may hold
POLL_SECONDS = 0.05
TOKEN = "DERIVATION_BOX"
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def isolation() -> tuple[list[str], str | None]:
    """The prefix that runs a command with no network (a new user and network namespace), and why not.

    (["unshare", …], None) where the platform allows it, else ([], the reason to tell the user).
    """
    prefix = ["unshare", "--user", "--map-root-user", "--net", "--"]
    if shutil.which("unshare") is None:
        return [], "--isolate is not available here (no unshare command): ran without it"
    probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
    if probe.returncode != 0:
        return [], "--isolate is not available here (user namespaces are not allowed): ran without it"
    return prefix, None


RUN_FOLDER = "run"  # the child's working folder inside ``work``: the user's data files, not ours (data.npz, …)


def run_folder(work: str | Path) -> Path:
    """The folder the child runs in, ``work``/run (made here): a user's ``np.load('data.npz')`` reads their
    file copied there, never the runner's own files beside it in ``work``."""
    folder = Path(work, RUN_FOLDER)
    folder.mkdir(exist_ok=True)
    return folder


def run_box(argv: list[str], work: str, timeout: float) -> str | None:
    """Run ``argv`` in ``work``'s :func:`run_folder` (the files of the run stay in ``work``); None when it finished
    by itself, else a failure "kind:detail".

    Kinds: "timeout:S", "output:BYTES", "memory:MB", "parent:SIGNAL" (the function signalled
    the process that ran it), "runner:CODE:LAST LINE OF STDERR" (it failed or was killed).
    """
    token = secrets.token_hex(8)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env.pop("PYTHONSTARTUP", None)
    env[TOKEN] = token
    env["TMPDIR"] = work  # its temporary files stay in the box's directory, removed afterwards
    output, memory = OUTPUT_BYTES, MEMORY_MB
    Path(work, "limits.json").write_text(json.dumps({"output": output, "memory": memory * 2**20}), encoding="utf-8")
    streams = [Path(work, "stdout.txt"), Path(work, "stderr.txt")]
    with streams[0].open("wb") as out, streams[1].open("wb") as err:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            cwd=run_folder(work),
            env=env,
            start_new_session=True,
        )
    deadline = time.monotonic() + timeout
    seen: dict[int, str] = {}
    failure = None
    while failure is None:
        try:
            proc.wait(timeout=max(0.0, min(POLL_SECONDS, deadline - time.monotonic())))
            break
        except subprocess.TimeoutExpired:
            pass
        members = _members(proc.pid, token, seen)
        if time.monotonic() >= deadline:
            failure = f"timeout:{timeout:g}"
        elif _printed(streams) > output:
            failure = f"output:{output}"
        elif sum(rss for _, rss in members.values()) > memory * 2**20:
            failure = f"memory:{memory}"
    killed = failure is not None
    _sweep(proc.pid, token, seen)
    proc.wait()
    if failure is None and _printed(streams) >= output:
        failure = f"output:{output}"  # killed by SIGXFSZ at the cap
    if failure is None and proc.returncode < 0 and not killed and not Path(work, "status.json").exists():
        failure = f"parent:{-proc.returncode}"
    if failure is None and not Path(work, "report.json").exists():
        status = json.loads(Path(work, "status.json").read_text()) if Path(work, "status.json").exists() else {}
        code = -status["signal"] if status.get("signal") else status.get("exit", proc.returncode)
        failure = f"runner:{code}:{_last_line(streams[1])}"
    return failure


def _printed(streams: list[Path]) -> int:
    return sum(p.stat().st_size for p in streams if p.exists())


def _last_line(path: Path) -> str:
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - 4096))
        text = f.read().decode("utf-8", "replace").strip()
    return (text.splitlines() or ["no output"])[-1]


def _stat(pid: int) -> tuple[str, int, int, int, str] | None:
    """(state, ppid, session, rss bytes, start time) of a process; None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    rest = text[text.rfind(")") + 2 :].split()
    return rest[0], int(rest[1]), int(rest[3]), int(rest[21]) * PAGE, rest[19]


def _has_token(pid: int, token: str) -> bool:
    try:
        return f"{TOKEN}={token}".encode() in Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return False


def _members(root: int, token: str, seen: dict[int, str]) -> dict[int, tuple[str, int]]:
    """The live processes of the box: pid → (start time, resident bytes).  ``seen`` remembers them all."""
    stats = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != os.getpid():
            stat = _stat(int(name))
            if stat is not None and stat[0] != "Z":
                stats[int(name)] = stat

    def inside(pid: int) -> bool:
        for _ in range(64):  # up the parent chain to the root
            if pid == root:
                return True
            if pid not in stats:
                return False
            pid = stats[pid][1]
        return False

    members = {}
    for pid, (_, _, session, rss, start) in stats.items():
        if session == root or inside(pid) or seen.get(pid) == start or _has_token(pid, token):
            members[pid] = (start, rss)
            seen[pid] = start
    return members


def _sweep(root: int, token: str, seen: dict[int, str]) -> None:
    """SIGKILL every process of the box, again until none is left (a forking loop makes new ones)."""
    for _ in range(100):
        members = _members(root, token, seen)
        if not members:
            return
        for pid in members:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.01)


def failure_text(kind: str, rest: str) -> str | None:
    """The one-line reason for the box's own failures; None for the kinds the caller words."""
    if kind == "output":
        return f"it printed more than {int(rest):,} bytes (cut): print less, or nothing, from the gradient function"
    if kind == "memory":
        return f"it used more than {rest} MB of memory: an array that grows without end?"
    if kind == "parent":
        return (
            f"the function killed its parent process (it sent signal {rest}, e.g. os.kill(os.getppid(), …)): "
            "a gradient function should not send signals"
        )
    return None
