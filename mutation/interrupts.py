"""SIGINT and SIGTERM as one way for a run to end: `Interrupted`, raised in the main thread.

`timeout`, `docker stop` and a cancelled CI job send SIGTERM to the gate's PID; Ctrl-C sends SIGINT.
Either unwinds the run like an exception, so every `with` block stops the process group it owns,
and the command line ends it with one line and exit 5 ("nothing was judged"). Further signals
are ignored while that happens: the clean-up is short and must not itself be cut off.
"""

import signal

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """A run stopped by a signal (a BaseException, like KeyboardInterrupt: no `except Exception` holds it)."""

    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signal_name = signal.Signals(signum).name


def _on_signal(signum, frame):
    for other in SIGNALS:
        signal.signal(other, signal.SIG_IGN)
    raise Interrupted(signum)


class Interruptible:
    """Within the block SIGINT and SIGTERM raise `Interrupted`; the previous handlers come back after."""

    def __enter__(self):
        self._previous = {signum: signal.signal(signum, _on_signal) for signum in SIGNALS}
        return self

    def __exit__(self, *exc_info):
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        return False
