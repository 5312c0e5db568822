"""The box a user's function runs in: a child process with a deadline and caps on output and memory.

It is a separate process with limits, not a security sandbox for untrusted code.

* Time: the parent never waits on a pipe (the child's output goes to files), only on the
  process, until the deadline; then everything in the box is killed.
* The box: the runner's session, every descendant (the runner's first process is a child
  subreaper, so orphans stay in its tree), and any process whose environment carries this
  run's token (a double fork with ``os.setsid()`` keeps it).  All are stopped (SIGSTOP), then SIGKILLed at the end.
* Output: stdout and stderr go to files capped by RLIMIT_FSIZE (the child is killed by
  SIGXFSZ past the cap) and watched here; past ``OUTPUT_BYTES`` the run stops.
* Memory: RLIMIT_DATA in the child (it counts NumPy's malloc and mmap allocations, which then
  raise MemoryError; RLIMIT_AS is not used, it breaks OpenBLAS), and a watchdog on the summed
  resident size of the box's processes (from /proc), which also catches a forked allocator.
* Signals: the user's call runs in a grandchild, so ``os.kill(os.getppid(), SIGKILL)`` kills
  the runner's first process, not us; that is reported as what the function did.
* Start: a child ``python -c SOURCE …`` is forked from a :mod:`derivation.check.zygote` that has imported NumPy
  already (one per process, started on first use; one more for each box other threads run at the same time, up to
  :data:`ZYGOTES`), 0.2–0.5 s sooner than a new interpreter, and is then the process the plain start makes (its own
  session, files, environment, folder, argv).  The zygote waits for it and tells its exit.  Where none can be used
  (no fork, a command prefix as ``--isolate``'s, one would not start) the child is started as before; a child whose
  zygote died under it runs again that way.
"""

from __future__ import annotations

import atexit
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import zygote

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
    Path(work, "limits.json").write_text(
        json.dumps({"output": OUTPUT_BYTES, "memory": MEMORY_MB * 2**20}), encoding="utf-8"
    )
    try:
        forks = _take(env) if FORK and argv[:2] == [sys.executable, "-c"] else None
    except ZygoteLostError:
        forks = None
    if forks is not None:
        try:
            return _run(argv, work, timeout, env, forks)
        except ZygoteLostError:  # nothing of the run is left: run it the plain way
            for name in ("stage", "report.json", "out.npz", "status.json"):
                Path(work, name).unlink(missing_ok=True)
        finally:
            _give(forks)
    return _run(argv, work, timeout, env, None)


def _run(argv: list[str], work: str, timeout: float, env: dict[str, str], forks: _Zygote | None) -> str | None:
    """:func:`run_box`'s run, its child forked by ``forks`` or else spawned; raises :class:`ZygoteLostError`."""
    token, output, memory = env[TOKEN], OUTPUT_BYTES, MEMORY_MB
    streams = [Path(work, "stdout.txt"), Path(work, "stderr.txt")]
    seen: dict[int, str] = {}
    folder = run_folder(work)
    with streams[0].open("wb") as out, streams[1].open("wb") as err:
        if forks is not None:
            try:
                proc = forks.start(argv, str(folder), env, out, err)
            except BaseException:
                forks.close()
                _sweep(-1, token, seen)  # a child forked before the zygote died is found by its token
                raise
        else:
            proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                cwd=folder,
                env=env,
                start_new_session=True,
            )
    deadline = time.monotonic() + timeout
    failure = None
    try:
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
            elif sum(rss for _, rss, _ in members.values()) > memory * 2**20:
                failure = f"memory:{memory}"
        killed = failure is not None
        _sweep(proc.pid, token, seen)
        proc.wait()
    except BaseException:
        if forks is not None:  # its end of the job is unknown now (ZygoteLostError, Ctrl-C): it goes, the job too
            forks.close()
            _sweep(proc.pid, token, seen)
        raise
    if failure is None and _printed(streams) >= output:
        failure = f"output:{output}"  # killed by SIGXFSZ at the cap
    if failure is None and proc.returncode < 0 and not killed and not Path(work, "status.json").exists():
        failure = f"parent:{-proc.returncode}"
    if failure is None and not Path(work, "report.json").exists():
        status = json.loads(Path(work, "status.json").read_text()) if Path(work, "status.json").exists() else {}
        code = -status["signal"] if status.get("signal") else status.get("exit", proc.returncode)
        failure = f"runner:{code}:{_last_line(streams[1])}"
    return failure


FORK = os.environ.get("DERIVATION_ZYGOTE", "1") != "0" and hasattr(os, "fork") and sys.platform.startswith("linux")
ZYGOTES = 4  # at most, for boxes that run at once in threads; past it, a box starts the plain way
READY_SECONDS = 60.0  # for a zygote to import NumPy on a busy machine; past it, boxes start the plain way
REPLY_SECONDS = 10.0  # for it to fork and say the child's pid
FAILED_STARTS = 3  # zygotes that did not start in this process: past it, no more are tried
_POOL = threading.Lock()  # guards the three below
_ZYGOTES: list[_Zygote] = []  # this process's, idle or running one box each
_STARTING = [0]  # zygotes being started now (they count towards ZYGOTES)
_FAILED: dict[int, int] = {}  # failed starts by process


class ZygoteLostError(Exception):
    """A zygote could not start, or died: the box's child runs (again) the plain way."""


class _Zygote:
    """This process's end of a :mod:`derivation.check.zygote`, started with ``env`` (the box's, but its token)."""

    def __init__(self, env: dict[str, str]):
        self.key, self.owner, self.buffer, self.busy, self.closed = _key(env), os.getpid(), b"", True, False
        started = {k: v for k, v in env.items() if k != "TMPDIR"} | {TOKEN: zygote.PLACEHOLDER}
        self.sock, theirs = socket.socketpair()
        folder = tempfile.mkdtemp(prefix="derivation-zygote-")  # empty: '' on its sys.path finds nothing of ours
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", _zygote_source(), str(theirs.fileno())],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=folder,
                env=started,
                pass_fds=[theirs.fileno()],
                start_new_session=True,  # the terminal's Ctrl-C is for us: the zygote ends when we do
            )
            theirs.close()
            ready = self.line(READY_SECONDS)
            if ready is None or ready.get("ready") != self.proc.pid:
                raise ZygoteLostError
        except BaseException:
            theirs.close()
            self.close()
            raise
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def line(self, timeout: float | None) -> dict | None:
        """The zygote's next message; None after ``timeout`` seconds.  Raises :class:`ZygoteLostError` if it is gone."""
        end = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = None if end is None else max(0.0, end - time.monotonic())
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(4096)
            except (TimeoutError, BlockingIOError):  # BlockingIOError: a timeout of 0
                return None
            except OSError as exc:
                raise ZygoteLostError from exc
            if not data:
                raise ZygoteLostError
            self.buffer += data
        line, _, self.buffer = self.buffer.partition(b"\n")
        try:
            return dict(json.loads(line))
        except (ValueError, TypeError) as exc:
            raise ZygoteLostError from exc

    def start(self, argv: list[str], cwd: str, env: dict[str, str], out, err) -> _Forked:
        """Fork the job's child, its stdout and stderr ``out`` and ``err``."""
        body = json.dumps({"argv": argv, "source": argv[2], "cwd": cwd, "env": env, "token": env[TOKEN]}).encode()
        try:
            self.sock.settimeout(REPLY_SECONDS)
            socket.send_fds(self.sock, [len(body).to_bytes(4, "big")], [out.fileno(), err.fileno()])
            self.sock.sendall(body)
        except OSError as exc:
            raise ZygoteLostError from exc
        reply = self.line(REPLY_SECONDS)
        if reply is None or "pid" not in reply:
            raise ZygoteLostError
        return _Forked(self, argv, reply["pid"])

    def usable(self, env: dict[str, str]) -> bool:
        return not self.closed and self.key == _key(env) and self.proc.poll() is None

    def close(self) -> None:
        """Close our end (the zygote then exits, killing a job it runs) and reap it."""
        self.closed = True
        self.sock.close()
        proc = getattr(self, "proc", None)
        if proc is not None and self.owner == os.getpid():
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class _Forked:
    """A child forked by the zygote, as much of :class:`subprocess.Popen` as :func:`run_box` uses."""

    def __init__(self, parent: _Zygote, argv: list[str], pid: int):
        self.parent, self.args, self.pid, self.returncode = parent, argv, pid, None

    def wait(self, timeout: float | None = None) -> int:
        """Its returncode; without ``timeout``, once swept, so a zygote that does not answer is lost."""
        if self.returncode is None:
            reply = self.parent.line(REPLY_SECONDS if timeout is None else timeout)
            if reply is None and timeout is not None:
                raise subprocess.TimeoutExpired(self.args, timeout)
            if reply is None or not isinstance(reply.get("exit"), int):
                raise ZygoteLostError
            self.returncode = reply["exit"]
        return self.returncode


# What the interpreter, the loader, site, locale, time and NumPy/BLAS read as they start: a zygote started with other
# values is replaced.  The rest (PYTEST_CURRENT_TEST changes with each test) is set in each child, as read later.
STARTUP = ("PYTHON", "LC_", "LANG", "TZ", "HOME", "PATH", "LD_", "MALLOC_", "GLIBC_", "OPENBLAS", "GOTO", "OMP_")
STARTUP += ("MKL_", "NUMPY", "NPY_", "BLIS")


def _key(env: dict[str, str]) -> dict[str, str]:
    """The variables of ``env`` a zygote must have been started with to fork this box's child."""
    return {k: v for k, v in env.items() if k.startswith(STARTUP)}


def _take(env: dict[str, str]) -> _Zygote | None:
    """An idle zygote of this process for ``env``, marked busy (started if none); None past :data:`ZYGOTES`.

    Raises :class:`ZygoteLostError` if it could not start."""
    pid = os.getpid()
    with _POOL:
        if any(z.owner != pid for z in _ZYGOTES):  # a forked copy of the process that started them: not ours
            for inherited in _ZYGOTES:  # this copy's ends of their sockets: the zygotes see EOF when the owner exits
                inherited.sock.close()
            _ZYGOTES.clear()
            _STARTING[0] = 0
        stale = [z for z in _ZYGOTES if not z.busy and not z.usable(env)]
        _ZYGOTES[:] = [z for z in _ZYGOTES if z not in stale]
        idle = next((z for z in _ZYGOTES if not z.busy), None)
        if idle is not None:
            idle.busy = True
            return idle
        if len(_ZYGOTES) + _STARTING[0] >= ZYGOTES or _FAILED.get(pid, 0) >= FAILED_STARTS:
            return None
        _STARTING[0] += 1
    for z in stale:
        z.close()
    try:
        fresh = _Zygote(env)
    except (OSError, ValueError, ZygoteLostError) as exc:
        with _POOL:
            _FAILED[pid] = _FAILED.get(pid, 0) + 1
        raise ZygoteLostError from exc
    finally:
        with _POOL:
            _STARTING[0] -= 1
    with _POOL:
        _ZYGOTES.append(fresh)
    return fresh


def _give(used: _Zygote) -> None:
    """A zygote's box has ended: it is idle again, or gone if it was closed."""
    with _POOL:
        used.busy = False
        if used.closed and used in _ZYGOTES:
            _ZYGOTES.remove(used)


def _close_all() -> None:
    """Let this process's zygotes go as it exits (a forked copy of it leaves its parent's alone)."""
    with _POOL:
        ours = [z for z in _ZYGOTES if z.owner == os.getpid()]
        _ZYGOTES.clear()
    for z in ours:
        z.close()


atexit.register(_close_all)


def _zygote_source() -> str:
    return Path(zygote.__file__).read_text(encoding="utf-8")


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


def _members(root: int, token: str, seen: dict[int, str]) -> dict[int, tuple[str, int, str]]:
    """The live processes of the box: pid → (start time, resident bytes, state).  ``seen`` remembers them all."""
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
    for pid, (state, _, session, rss, start) in stats.items():
        if session == root or inside(pid) or seen.get(pid) == start or _has_token(pid, token):
            members[pid] = (start, rss, state)
            seen[pid] = start
    return members


def _sweep(root: int, token: str, seen: dict[int, str]) -> None:
    """Stop every process of the box, again until no new one appears, then SIGKILL them all, again until none is left.

    Stopped first (SIGSTOP), none forks again nor exits while we look: a child made an instant before a kill
    would otherwise lose its parent chain to the root as its parents die, and after an exec without the
    environment it would carry no token either.
    """
    stopped: set[int] = set()
    for _ in range(100):
        members = _members(root, token, seen)
        if not members:
            return
        running = [pid for pid, (_, _, state) in members.items() if pid not in stopped or state not in "tT"]
        if not running:
            break
        _signal(running, signal.SIGSTOP)
        stopped.update(running)
        time.sleep(0.001)
    for _ in range(100):
        members = _members(root, token, seen)
        if not members:
            return
        _signal(members, signal.SIGKILL)
        time.sleep(0.01)


def _signal(pids, number: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, number)
        except (ProcessLookupError, PermissionError):
            pass


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
