"""Progress of one batch of mutant sessions: done/total, the percentage, the rate, the time
elapsed and an estimate of the time left.

On a terminal it is one line redrawn in place (`\\r`, then clear to the end of the line) at most
every REDRAW_SECONDS, ended with a newline when the batch finishes. Anywhere else (a CI log, a
pipe) it is a full line every PROGRESS_EVERY_SECONDS and one at the end, unless the last
full line already said the batch was done.
"""

import time

PROGRESS_EVERY_SECONDS = 10.0
REDRAW_SECONDS = 0.2
CLEAR_TO_END_OF_LINE = "\x1b[K"


class Progress:
    """Counts the results of a batch of `total` sessions as they come and says how far it is."""

    def __init__(self, out, label, total, clock=time.monotonic):
        self.out, self.label, self.total, self.clock = out, label, total, clock
        self.redraws = out.isatty()
        self.every = REDRAW_SECONDS if self.redraws else PROGRESS_EVERY_SECONDS
        self.done = 0
        self.shown = None  # `done` as the last full line said it
        self.started = self.last = clock()

    def advance(self, result=None):
        self.done += 1
        now = self.clock()
        if now - self.last >= self.every:
            self.last = now
            self._say(now, "" if self.redraws else "\n")

    def finish(self):
        if self.redraws or self.shown != self.done:  # a log line saying the same again would be noise
            self._say(self.clock(), "\n")

    def _say(self, now, end):
        line = progress_line(self.label, self.done, self.total, now - self.started)
        if self.redraws:
            line = f"\r{line}{CLEAR_TO_END_OF_LINE}"
        self.out.write(line + end)
        self.out.flush()
        self.shown = self.done


def progress_line(label, done, total, elapsed):
    """`  label: done/total mutants (percent), rate/s, elapsed, time left`."""
    rate = done / max(elapsed, 1e-9)
    percent = done * 100 // total if total else 100
    if total and not done:
        left = "time left unknown"
    else:
        left = f"about {clock_time((total - done) / rate if rate else 0.0)} left"
    return f"  {label}: {done}/{total} mutants ({percent}%), {rate:.1f}/s, {clock_time(elapsed)} elapsed, {left}"


def clock_time(seconds):
    """`m:ss`, or `h:mm:ss` from an hour on, to the nearest second."""
    hours, rest = divmod(int(seconds + 0.5), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
