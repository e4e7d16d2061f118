"""Errors that end a gate run with a specific exit code and a one-line message."""

from mutation import exit_codes


class GateError(Exception):
    """An expected way for a run to end early; `exit_code` says which."""

    exit_code = exit_codes.INTERNAL_ERROR

    def __init__(self, message, details=()):
        super().__init__(message)
        self.details = list(details)


class ConfigError(GateError):
    exit_code = exit_codes.USAGE


class SuiteFailsError(GateError):
    exit_code = exit_codes.SUITE_FAILS


class IncompleteMeasurementError(GateError):
    exit_code = exit_codes.INCOMPLETE


class FormatUnavailable(ConfigError):
    """A report format that cannot be rendered here (e.g. the HTML viewer's bundle is not installed)."""
