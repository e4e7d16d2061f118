"""Reading the logs of the subprocesses the gate runs, to quote them in one-line errors."""

SPINNER = ("⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏")


def log_lines(path):
    """Non-empty lines of a log, with carriage-return progress updates split into lines."""
    text = path.read_text(encoding="utf-8", errors="replace").replace("\r", "\n")
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def last_message(path):
    """The last line that is not a progress spinner, or "no output"."""
    lines = [line.strip() for line in log_lines(path) if not line.lstrip().startswith(SPINNER)]
    return lines[-1] if lines else "no output"


def tail(path, count=20):
    return ["  " + line for line in log_lines(path)[-count:]]
