"""The `mutation-gate` command line: `run`, `survivors`, `show`, `browse`.

User errors end with one line on stderr and exit 1; a bug in the gate ends with exit 70.
"""

import argparse
import os
import subprocess
import sys
import traceback
from pathlib import Path

from mutation import exit_codes, inspect, report_json, report_terminal
from mutation.config import load_config
from mutation.errors import ConfigError, GateError
from mutation.mutmut_driver import mutmut_executable
from mutation.run import gate_json_path, run_gate


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise ConfigError(message)


def build_parser():
    parser = _Parser(prog="mutation-gate", description="Mutation-testing quality gate over a pytest suite.")
    parser.add_argument("--config", default="setup.cfg", help="the setup.cfg holding [mutation_gate] (default: ./setup.cfg)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser("run", help="score the suite, write gate.json, exit with the verdict")
    run.add_argument("--workers", type=int, help="parallel mutant workers (default: [mutation_gate] workers)")
    survivors = commands.add_parser("survivors", help="list surviving mutants from the last run")
    survivors.add_argument("--target", help="only mutants of this target (or file)")
    survivors.add_argument("--function", help="only mutants of this function (e.g. WorkflowEngine._run)")
    show = commands.add_parser("show", help="print one mutant from the last run")
    show.add_argument("mutant_id", help="a mutant id from gate.json or mutmut's mutant name")
    commands.add_parser("browse", help="open mutmut's interactive browser on the last run's mutants")
    return parser


def main(argv=None):
    try:
        arguments = build_parser().parse_args(argv)
        return _dispatch(arguments)
    except GateError as error:
        print(f"mutation-gate: {error}", file=sys.stderr)
        for line in error.details:
            print(line, file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("mutation-gate: interrupted; nothing was judged", file=sys.stderr)
        return exit_codes.INCOMPLETE
    except Exception:  # noqa: BLE001 - anything else is a bug in the gate, never a pass
        traceback.print_exc()
        print("mutation-gate: internal error (exit 70); please report it with the traceback above", file=sys.stderr)
        return exit_codes.INTERNAL_ERROR


def _dispatch(arguments):
    config = load_config(arguments.config, workers=getattr(arguments, "workers", None))
    if arguments.command == "run":
        return _run(config)
    report_path = gate_json_path(config)
    if arguments.command == "browse":
        return subprocess.run([mutmut_executable(), "browse"], cwd=config.project_root / config.work_dir).returncode
    document = inspect.load_document(report_path)
    if arguments.command == "survivors":
        found = inspect.survivors(document, arguments.target, arguments.function)
        for mutant in found:
            print(inspect.render_mutant(mutant), end="\n\n")
        print(f"{len(found)} surviving mutants")
        return exit_codes.PASS
    print(inspect.render_mutant(inspect.find_mutant(document, arguments.mutant_id)))
    return exit_codes.PASS


def _run(config):
    document = run_gate(config)
    path = gate_json_path(config)
    report_json.write(document, path)
    print(report_terminal.render(document))
    print(f"report: {os.path.relpath(path)}")
    return document["verdict"]["exit_code"]


if __name__ == "__main__":
    sys.exit(main())
