"""The time limit on SymPy's work holds even when its alarm lands in a finaliser, where Python swallows it."""

from __future__ import annotations

import gc
import time

import pytest

from derivation.core.exprtools import OutOfTimeError, time_limit


class SlowToCollect:
    """An object whose finaliser runs long enough for the alarm to land inside it."""

    def __del__(self) -> None:
        end = time.monotonic() + 0.3
        while time.monotonic() < end:
            pass


def test_an_alarm_swallowed_by_a_finaliser_fires_again(recwarn):
    started = time.monotonic()
    with pytest.raises(OutOfTimeError):
        with time_limit(0.05):
            obj = SlowToCollect()
            del obj  # the alarm fires in __del__, where the exception cannot propagate
            while time.monotonic() - started < 5.0:  # without a second alarm this would run the full 5 s
                pass
    assert time.monotonic() - started < 1.0
    gc.collect()


def test_a_block_that_ends_in_time_is_not_interrupted_later():
    with time_limit(0.05):
        pass
    end = time.monotonic() + 0.1
    while time.monotonic() < end:  # no alarm is left armed: nothing fires here
        pass
