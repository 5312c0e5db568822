"""Reading a user's document from a file or standard input, with a size limit and only as text.

Light on purpose (no SymPy): the command line reads before it imports anything heavy.  At most
``limit + 1`` bytes are ever read, so ``/dev/zero`` or ``yes |`` cannot grow memory or hang.
"""

from __future__ import annotations

import sys

MAX_FILE_BYTES = 100_000  # a derivation of a few pages is ~5 kB; 100 kB verifies in a few seconds


class UnreadableInputError(ValueError):
    """A file or stream that is missing, too large or not text: ``str()`` is one line for the user."""


def read_user_text(source: str, limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of the file ``source`` (``-`` for standard input), newlines as ``\\n``.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "d.tex")
    >>> _ = open(path, "wb").write(b"$$a = b$$\\r\\n")
    >>> read_user_text(path)
    '$$a = b$$\\n'
    >>> read_user_text("/dev/zero")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    derivation.userinput.UnreadableInputError: /dev/zero is larger than 100000 bytes, the limit for one document: ...
    """
    name = "standard input" if source == "-" else source
    try:
        if source == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open(source, "rb") as f:
                data = f.read(limit + 1)
    except OSError as error:
        raise UnreadableInputError(f"cannot read {name}: {error.strerror or error}") from None
    return decode_text(data, name, limit)


def decode_text(data: bytes, name: str, limit: int = MAX_FILE_BYTES) -> str:
    """``data`` as text once it is at most ``limit`` bytes of UTF-8 without NUL bytes; else UnreadableInputError.

    >>> decode_text(b"ok\\r\\n", "f")
    'ok\\n'
    >>> decode_text(b"a\\xffb", "f")
    Traceback (most recent call last):
    ...
    derivation.userinput.UnreadableInputError: f is not UTF-8 text (byte 2 is 0xff): save it as UTF-8
    """
    if len(data) > limit:
        raise UnreadableInputError(
            f"{name} is larger than {limit} bytes, the limit for one document: split it into smaller files"
        )
    nul = data.find(b"\0")
    if nul >= 0:
        raise UnreadableInputError(f"{name} is not text (a NUL byte at byte {nul + 1}): give a .tex, .md or .txt file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise UnreadableInputError(
            f"{name} is not UTF-8 text (byte {error.start + 1} is {byte:#04x}): save it as UTF-8"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as text-mode reading did
