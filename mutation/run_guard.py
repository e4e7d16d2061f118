"""A `mutation-gate run` from start to end, failing closed.

One run per project at a time (`run_lock`); SIGINT and SIGTERM unwind it (`interrupts`); from the
moment the configuration is read, `gate.json` says `running`, and a run that ends early replaces
it with a `stopped` report holding the exit code and the one-line reason. So the last run's
verdict is never left where this run's would be, whatever ends this one.
"""

import configparser
from pathlib import Path

from mutation import exit_codes
from mutation.errors import ConfigError, GateError
from mutation.interrupts import Interrupted, Interruptible
from mutation.options import OPTIONS, SECTION, load_config
from mutation.report import run_state, store
from mutation.report.writers import remove_stale
from mutation.run_lock import RunLock


def guarded_run(config_path, flags, say, read_cache=True, diff_base=None, shard=None):
    """Evaluate the project of `config_path`; the finished document and where it was written.

    `read_cache=False`: every mutant is measured, none reused (`--no-cache`); `diff_base`: `--diff BASE`;
    `shard` ((K, N), `--shard K/N`): only that shard's mutants, its document written to
    `<report_dir>/shard-K-of-N.json` instead of gate.json (`shard_path`), which it leaves alone with
    the last run's reports: a shard's document is evidence for `merge`, not a verdict."""
    config_path = Path(config_path).resolve()
    if not config_path.is_file():
        load_config(config_path)  # raises the configuration's own one-line error
    with Interruptible(), RunLock(config_path.parent) as lock:
        if lock.note:
            say(f"note: {lock.note}")
        started = run_state.now()
        report = _report_path_hint(config_path)
        if shard is not None and report is not None:
            report = report.with_name(shard_name(*shard))
        try:
            config = load_config(config_path, **flags)
            from mutation.pipeline import evaluate  # a second of imports (libcst, mutmut): a signal now is handled

            report = store.gate_json_path(config) if shard is None else shard_path(config, *shard)
            write_report(run_state.running(config_path, started), report)
            if shard is None:
                remove_stale(report.parent)
            document = evaluate(config, read_cache=read_cache, diff_base=diff_base,
                                **({} if shard is None else {"shard": shard}))
            write_report(document, report)
        except GateError as error:
            _record_stop(report, config_path, started, error.exit_code, str(error))
            raise
        except Interrupted as interruption:
            _record_stop(report, config_path, started, exit_codes.INCOMPLETE,
                         f"interrupted by {interruption.signal_name}; nothing was judged")
            raise
        except Exception as error:
            _record_stop(report, config_path, started, exit_codes.INTERNAL_ERROR,
                         f"internal error: {type(error).__name__}: {error}")
            raise
        return document, report


def shard_name(index, count):
    return f"shard-{index}-of-{count}.json"


def shard_path(config, index, count):
    return store.gate_json_path(config).with_name(shard_name(index, count))


def write_report(document, path):
    """`store.write`, a path that cannot be written being the user's one-line error."""
    try:
        store.write(document, path)
    except OSError as error:
        raise ConfigError(f"{path}: cannot write the gate report: {error.strerror}") from None


def _record_stop(report, config_path, started, exit_code, reason):
    """Replace the report with a `stopped` one; when even that cannot be written the error says why."""
    if report is None:
        return
    try:
        store.write(run_state.stopped(config_path, started, exit_code, reason.splitlines()[0]), report)
        if report.name == "gate.json":
            remove_stale(report.parent)
    except OSError:
        pass


def _report_path_hint(config_path):
    """Where gate.json goes while the configuration is not read yet: the `report_dir` written in
    it, or the default one. A file that cannot be parsed names none: then only a report already
    at the default place is replaced. None when there is nothing to replace."""
    option = next(option for option in OPTIONS if option.key == "report_dir")
    default = config_path.parent / option.default / "gate.json"
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(config_path, encoding="utf-8")
        written = parser.get(SECTION, "report_dir", fallback=None)
    except (configparser.Error, UnicodeDecodeError):
        return default if default.is_file() else None
    try:
        relative = option.parse(written if written is not None else option.default, _HintContext)
    except ConfigError:
        return None
    return config_path.parent / relative / "gate.json"


class _HintContext:
    """What an option's parser needs to refuse a value; the refusal itself is load_config's to report."""

    @staticmethod
    def error(problem):
        return ConfigError(problem)
