"""The zygote: a process that has imported what every box child imports (NumPy…) and forks one child per job.

:mod:`derivation.check.box` starts it (``python -c SOURCE FD``, with the box's environment and BLAS threads at 1,
so OpenBLAS starts no thread to be lost in a fork) the first time a box runs, one per process that runs boxes.
A child forked from it becomes what ``python -c SOURCE WORK`` would have been, 0.2–0.5 s sooner: its own
session, the job's files on stdin/stdout/stderr and nothing else open, the job's environment, working folder,
argv and a fresh ``__main__``, fresh random seeds; then it runs the job's source as ``python -c`` does and exits
as the interpreter does.  Each job is a new fork, never reused: nothing one job does reaches the next.

Only the standard library, and only its C modules past what NumPy imports (``_socket``, ``select``): this source
runs in the zygote, never this package.  The protocol, over the Unix socket FD:

* zygote → parent, one JSON line each: ``{"ready": pid}`` once; then per job ``{"pid": …}`` and, when the
  job's first process has exited, ``{"exit": returncode}`` (as :attr:`subprocess.Popen.returncode`).
* parent → zygote: a job, as 4 bytes of length then JSON ``{"argv", "source", "cwd", "env", "token"}``, with
  its stdout and stderr passed as two file descriptors (SCM_RIGHTS).

The zygote exits when the parent's end closes (the parent exited), and kills a job then running.
"""

import json
import os
import sys

TOKEN = "DERIVATION_BOX"  # box.TOKEN: the variable that marks a box's processes in /proc/PID/environ
PLACEHOLDER = "0" * 16  # the zygote's own value, overwritten in place in each child with the job's token (as long)
PRELOAD = ("numpy", "json", "traceback", "resource", "ctypes", "signal", "ast", "importlib.util", "types", "zipfile")
PRELOAD_CODECS = ("encodings.cp437",)  # np.load's zip member names


def _send(sock, message):
    sock.sendall((json.dumps(message) + "\n").encode())


def _receive(sock):
    """(the job, its two file descriptors), or None when the parent's end is closed."""
    import _socket

    head, fds = b"", []
    while len(head) < 4:
        data, ancillary, _, _ = sock.recvmsg(4 - len(head), _socket.CMSG_SPACE(2 * 4))
        for level, kind, payload in ancillary:
            if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
                fds += [int.from_bytes(payload[i : i + 4], sys.byteorder) for i in range(0, len(payload) - 3, 4)]
        if not data:
            return None
        head += data
    size, body = int.from_bytes(head, "big"), b""
    while len(body) < size:
        data = sock.recv(min(size - len(body), 1 << 20))
        if not data:
            return None
        body += data
    return json.loads(body), fds


def _environment_area():
    """Whether the placeholder's value lies in the environment the kernel shows in /proc/PID/environ."""
    import ctypes

    libc = ctypes.CDLL(None)
    libc.getenv.restype = ctypes.c_void_p
    address = libc.getenv(TOKEN.encode())
    with open("/proc/self/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    start, end = int(fields[47]), int(fields[48])  # env_start, env_end: fields 50 and 51 of proc(5)
    return address is not None and start <= address and address + len(PLACEHOLDER) <= end


def _watch(sock, pid):
    """The job's returncode once it has exited; None if the parent's end closed first (the job is then killed)."""
    import select

    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):
        handle = None
    waited, poll = ([sock], 0.02) if handle is None else ([sock, handle], None)
    while True:
        ready = select.select(waited, [], [], poll)[0]
        if sock in ready:  # the parent sends nothing while a job runs: this is its end closing
            for kill in (os.killpg, os.kill):  # the child itself too: before its setsid it leads no group
                try:
                    kill(pid, 9)
                except OSError:
                    pass
            os.waitpid(pid, 0)
            return None
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            if handle is not None:
                os.close(handle)
            return os.waitstatus_to_exitcode(status)


def serve(fd):
    """Load, say ready, fork one child per job; return (job, fds) in the child, exit in the zygote."""
    import _socket
    import gc
    import importlib

    for name in (*PRELOAD, *PRELOAD_CODECS):
        importlib.import_module(name)
    sock = _socket.socket(fileno=fd)
    if os.environ.get(TOKEN) != PLACEHOLDER or not _environment_area():
        os._exit(3)  # a child's token would not show in /proc: the parent runs its boxes as before
    gc.freeze()  # the loaded modules stay out of the children's collections: their pages are not copied
    _send(sock, {"ready": os.getpid()})
    while True:
        try:
            received = _receive(sock)
        except (OSError, ValueError):
            received = None
        if received is None:
            os._exit(0)
        job, fds = received
        pid = os.fork()
        if pid == 0:
            sock.detach()
            return job, fds
        for handle in fds:
            os.close(handle)
        try:
            _send(sock, {"pid": pid})
            code = _watch(sock, pid)
            if code is None:
                os._exit(0)
            _send(sock, {"exit": code})
        except OSError:
            os._exit(0)


def become(job, fds):
    """Turn this fresh fork into the process ``python -c SOURCE ARGS`` would start in the job's box; its code."""
    import ctypes
    import importlib
    import types

    os.setsid()
    null = os.open(os.devnull, os.O_RDONLY)
    for target, handle in ((0, null), (1, fds[0]), (2, fds[1])):
        os.dup2(handle, target)
    os.closerange(3, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 65536)  # the socket, the job's copies
    libc = ctypes.CDLL(None)
    libc.getenv.restype = ctypes.c_void_p
    ctypes.memmove(libc.getenv(TOKEN.encode()), job["token"].encode(), len(PLACEHOLDER))  # seen in /proc/PID/environ
    env = job["env"]
    for key in [k for k in os.environ if k not in env]:
        del os.environ[key]
    for key, value in env.items():
        if os.environ.get(key) != value:
            os.environ[key] = value
    os.chdir(job["cwd"])
    sys.argv[:] = ["-c", *job["argv"][3:]]
    sys.orig_argv[:] = job["argv"]
    importlib.invalidate_caches()  # '' on sys.path is now the job's folder
    sys.path_importer_cache.pop("", None)
    if "random" in sys.modules:  # seeded at import in the zygote: every child would draw the same numbers
        sys.modules["random"].seed()
    if "numpy.random" in sys.modules:
        sys.modules["numpy.random"].seed()
    if "tempfile" in sys.modules:
        sys.modules["tempfile"].tempdir = None  # TMPDIR is the job's
    main = types.ModuleType("__main__")
    main.__loader__ = sys.modules["__main__"].__loader__  # BuiltinImporter: the zygote runs under python -c too
    main.__annotations__ = {}
    sys.modules["__main__"] = main
    return compile(job["source"], "<string>", "exec", dont_inherit=True), main


def run(code, main):
    """Run the job's code in ``main`` as ``python -c`` does: an uncaught exception is printed (from the job's own
    frames) and exits with 1; SystemExit and KeyboardInterrupt are the interpreter's."""
    try:
        exec(code, vars(main))
    except (SystemExit, KeyboardInterrupt):
        raise
    except BaseException as exc:
        trace = exc.__traceback__
        while trace is not None and trace.tb_frame.f_code is not code:
            trace = trace.tb_next
        sys.excepthook(type(exc), exc.with_traceback(trace), trace)  # shown from its __traceback__
        sys.exit(1)


if __name__ == "__main__" and len(sys.argv) == 2 and sys.argv[1].isdigit():
    run(*become(*serve(int(sys.argv[1]))))
