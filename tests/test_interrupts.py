"""SIGINT and SIGTERM inside `Interruptible` raise `Interrupted` once, then are ignored until the
block ends; the previous handlers come back after it."""

import os
import signal

import pytest

from mutation.interrupts import Interrupted, Interruptible


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_in_the_block_raises_interrupted_naming_it(signum):
    with pytest.raises(Interrupted) as interruption, Interruptible():
        os.kill(os.getpid(), signum)

    assert (interruption.value.signal_name, str(interruption.value)) == (signum.name, signum.name)
    assert not isinstance(interruption.value, Exception)  # `except Exception` clean-ups cannot swallow it


def test_a_second_signal_during_the_clean_up_is_ignored():
    cleaned = []
    with pytest.raises(Interrupted), Interruptible():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
        finally:
            os.kill(os.getpid(), signal.SIGINT)  # would cut the clean-up short
            cleaned.append("done")

    assert cleaned == ["done"]


def test_the_previous_handlers_come_back_after_the_block():
    before = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}

    with Interruptible():
        during = signal.getsignal(signal.SIGTERM)

    assert {signum: signal.getsignal(signum) for signum in before} == before
    assert during not in before.values()
