"""Progress of a batch, with a fake clock and fake streams: full lines every ten seconds and at the
end where the output is not a terminal, one line redrawn at most five times a second where it is."""

import io

import pytest

from mutation.collect.progress import Progress, clock_time, progress_line


class Terminal(io.StringIO):
    """A stream attached to a terminal."""

    def isatty(self):
        return True


def ticking(*times):
    """A clock that gives `times` one after the other."""
    return iter(times).__next__


# --- a log or a pipe: full lines ------------------------------------------------------------------

def test_progress_is_said_every_ten_seconds_and_once_at_the_end():
    out = io.StringIO()
    progress = Progress(out, "mutants", 4, clock=ticking(100.0, 103.0, 110.0, 112.0, 125.0))

    progress.advance()
    assert out.getvalue() == ""
    progress.advance()
    progress.advance()
    progress.finish()

    assert out.getvalue() == (
        "  mutants: 2/4 mutants (50%), 0.2/s, 0:10 elapsed, about 0:10 left\n"
        "  mutants: 3/4 mutants (75%), 0.1/s, 0:25 elapsed, about 0:08 left\n"
    )


def test_the_end_is_not_said_twice_when_the_last_full_line_said_it():
    out = io.StringIO()
    progress = Progress(out, "checking the engine's copy", 2, clock=ticking(0.0, 1.0, 13.0, 13.5))

    progress.advance()
    progress.advance()
    progress.finish()

    assert out.getvalue() == "  checking the engine's copy: 2/2 mutants (100%), 0.2/s, 0:13 elapsed, about 0:00 left\n"


def test_the_ten_seconds_count_from_the_last_line_said():
    out = io.StringIO()
    progress = Progress(out, "credit pass 1", 9, clock=ticking(0.0, 10.0, 19.0, 20.0))

    progress.advance()
    progress.advance()
    progress.advance()

    assert out.getvalue() == (
        "  credit pass 1: 1/9 mutants (11%), 0.1/s, 0:10 elapsed, about 1:20 left\n"
        "  credit pass 1: 3/9 mutants (33%), 0.1/s, 0:20 elapsed, about 0:40 left\n"
    )


def test_a_batch_with_nothing_to_do_says_no_time_left():
    out = io.StringIO()

    Progress(out, "second chance", 0, clock=ticking(5.0, 5.0)).finish()

    assert out.getvalue() == "  second chance: 0/0 mutants (100%), 0.0/s, 0:00 elapsed, about 0:00 left\n"


# --- a terminal: one line redrawn -----------------------------------------------------------------

def test_on_a_terminal_one_line_is_redrawn_at_most_every_fifth_of_a_second_and_ended_at_the_finish():
    out = Terminal()
    progress = Progress(out, "mutants", 10, clock=ticking(0.0, 0.1, 0.25, 0.3, 0.5, 4.0, 8.0))

    progress.advance()
    assert out.getvalue() == ""
    progress.advance()
    progress.advance()
    progress.advance()
    assert out.getvalue() == ("\r  mutants: 2/10 mutants (20%), 8.0/s, 0:00 elapsed, about 0:01 left\x1b[K"
                              "\r  mutants: 4/10 mutants (40%), 8.0/s, 0:01 elapsed, about 0:01 left\x1b[K")
    progress.advance()
    progress.finish()

    assert out.getvalue().split("\r")[3:] == [
        "  mutants: 5/10 mutants (50%), 1.2/s, 0:04 elapsed, about 0:04 left\x1b[K",
        "  mutants: 5/10 mutants (50%), 0.6/s, 0:08 elapsed, about 0:08 left\x1b[K\n",
    ]


def test_on_a_terminal_a_batch_that_ends_before_the_first_redraw_is_one_ended_line():
    out = Terminal()
    progress = Progress(out, "re-checking timeouts", 2, clock=ticking(0.0, 0.05, 0.1, 0.15))

    progress.advance()
    progress.advance()
    progress.finish()

    assert out.getvalue() == ("\r  re-checking timeouts: 2/2 mutants (100%), 13.3/s, 0:00 elapsed, about 0:00 left"
                              "\x1b[K\n")


def test_with_nothing_done_yet_the_time_left_is_unknown():
    out = Terminal()

    Progress(out, "mutants", 3, clock=ticking(0.0, 1.0)).finish()

    assert out.getvalue() == "\r  mutants: 0/3 mutants (0%), 0.0/s, 0:01 elapsed, time left unknown\x1b[K\n"


# --- the line ------------------------------------------------------------------------------------

def test_the_line_says_the_percentage_done_rounded_down_and_hours_past_an_hour():
    assert progress_line("mutants", 2, 3, 7300.0) == (
        "  mutants: 2/3 mutants (66%), 0.0/s, 2:01:40 elapsed, about 1:00:50 left")


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0.0, "0:00"), (0.49, "0:00"), (0.5, "0:01"), (59.4, "0:59"), (59.5, "1:00"), (61.0, "1:01"), (600.0, "10:00"),
     (3599.4, "59:59"), (3599.5, "1:00:00"), (3725.0, "1:02:05"), (36000.0, "10:00:00")],
)
def test_a_time_is_minutes_and_seconds_or_hours_minutes_and_seconds(seconds, shown):
    assert clock_time(seconds) == shown
