"""The `mutation-gate` command line: `init`, `run`, `merge`, `survivors`, `show`, `browse`, `report`
and `baseline update`.

User errors end with one line on stderr and exit 1; a bug in the gate ends with exit 70.
"""

import argparse
import datetime
import os
import sys
import traceback
from pathlib import Path

from mutation import exit_codes
from mutation.engine.browse import browse
from mutation.errors import ConfigError, GateError
from mutation.interrupts import Interrupted
from mutation.collect.shard_caches import merge_shard_caches
from mutation.collect.shards import parse_shard
from mutation.init import init_project
from mutation.options import OPTIONS, load_config
from mutation.report import github, queries, store
from mutation.report.merge import merged_document
from mutation.report.merge_checks import check_shards
from mutation.report.writers import FILE_FORMATS, WRITERS, emit, find_writer, remove_stale
from mutation.run_guard import guarded_run, write_report
from mutation.verdicts.apply import apply_verdicts
from mutation.verdicts.baseline import update as baseline_update
from mutation.verdicts.waivers import check_waived_tests_exist, load_waivers


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise ConfigError(message)


def build_parser():
    parser = _Parser(prog="mutation-gate", description="Mutation-testing quality gate over a pytest suite.")
    parser.add_argument("--config", default="setup.cfg", help="the setup.cfg holding [mutation_gate] (default: ./setup.cfg)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    init = commands.add_parser("init", help="write a first [mutation_gate] section for the project in this directory")
    init.add_argument("--force", action="store_true", help="replace an existing [mutation_gate] section")
    run = commands.add_parser("run", help="score the suite, write gate.json, exit with the verdict")
    for option in OPTIONS:
        if option.flag is not None:
            run.add_argument(option.flag_name, dest=option.key, type=option.flag,
                             help=f"{option.help} (default: [mutation_gate] {option.key})")
    run.add_argument("--no-cache", dest="read_cache", action="store_false",
                     help="measure every mutant without reading the result cache; the run's results still "
                          "replace it (default: reuse every result whose inputs are unchanged)")
    run.add_argument("--diff", dest="diff_base", metavar="BASE",
                     help="measure only the mutants a change since the git revision BASE reaches (e.g. origin/main); "
                          "the others come from the cache or are not measured (default: every mutant)")
    run.add_argument("--shard", metavar="K/N",
                     help="measure only shard K of N (a deterministic split balanced by the cached test durations) "
                          "and write <report_dir>/shard-K-of-N.json for `mutation-gate merge` (default: every mutant)")
    merge = commands.add_parser("merge", help="judge the shard documents of one run together: gate.json and "
                                              "every report, as a single run writes them")
    merge.add_argument("shards", nargs="+", metavar="SHARD.json", help="every shard's document, in any order")
    survivors = commands.add_parser("survivors", help="list surviving mutants from the last run")
    survivors.add_argument("--target", help="only mutants of this target (a target path)")
    survivors.add_argument("--file", help="only mutants in this file (a target or one of its helper modules)")
    survivors.add_argument("--function", help="only mutants of this function (e.g. WorkflowEngine._run)")
    survivors.add_argument("--verbose", action="store_true",
                           help="list every covering test of each mutant (default: the 3 nearest)")
    show = commands.add_parser("show", help="print one mutant from the last run")
    show.add_argument("mutant_id", help="a mutant id from gate.json or mutmut's mutant name")
    commands.add_parser("browse", help="open mutmut's interactive browser on the last run's mutants")
    report = commands.add_parser("report", help="render a finished gate.json in other formats, running nothing")
    report.add_argument("--format", dest="formats", action="append", metavar="NAME",
                        help=f"a format to render, repeatable: {', '.join(WRITERS)}, or all (default: terminal)")
    report.add_argument("--from", dest="source", metavar="PATH",
                        help="the gate.json to read (default: the last run's, under report_dir)")
    baseline = commands.add_parser("baseline", help="the ratchet baseline no later run may fall below")
    actions = baseline.add_subparsers(dest="action", required=True, parser_class=_Parser)
    update = actions.add_parser("update", help="record a complete run's figures in the baseline file "
                                               "([mutation_gate] baseline)")
    update.add_argument("--from", dest="source", metavar="PATH",
                        help="the gate.json of a complete run (default: the last run's, under report_dir)")
    update.add_argument("--allow-lower", action="store_true",
                        help="accept figures below the current baseline (default: refuse to lower any)")
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
    except Interrupted as interruption:
        print(f"mutation-gate: interrupted by {interruption.signal_name}; every process of the run was stopped "
              f"and nothing was judged (exit 5)", file=sys.stderr)
        return exit_codes.INCOMPLETE
    except KeyboardInterrupt:
        print("mutation-gate: interrupted; nothing was judged", file=sys.stderr)
        return exit_codes.INCOMPLETE
    except Exception:  # noqa: BLE001 - anything else is a bug in the gate, never a pass
        traceback.print_exc()
        print("mutation-gate: internal error (exit 70); please report it with the traceback above", file=sys.stderr)
        return exit_codes.INTERNAL_ERROR


def _dispatch(arguments):
    if arguments.command == "init":
        for line in init_project(arguments.config, arguments.force):
            print(line)
        return exit_codes.PASS
    if arguments.command == "report" and arguments.source:
        return _report(Path(arguments.source), arguments.formats, Path(arguments.source).parent)
    flags = {option.key: getattr(arguments, option.key, None) for option in OPTIONS if option.flag is not None}
    if arguments.command == "run":
        shard = None if arguments.shard is None else parse_shard(arguments.shard)
        return _gate(arguments.config, flags, arguments.read_cache, arguments.diff_base, shard)
    config = load_config(arguments.config, **flags)
    if arguments.command == "merge":
        return _merge(config, [Path(path) for path in arguments.shards])
    if arguments.command == "browse":
        store.load(store.gate_json_path(config))  # the mutants in the work dir are the last run's only if it finished
        return browse(config.project_root / config.work_dir)
    if arguments.command == "report":
        return _report(store.gate_json_path(config), arguments.formats, store.gate_json_path(config).parent)
    if arguments.command == "baseline":
        source = Path(arguments.source) if arguments.source else store.gate_json_path(config)
        for line in baseline_update(config, store.load(source), source, arguments.allow_lower):
            print(line)
        return exit_codes.PASS
    document = store.load(store.gate_json_path(config))
    if arguments.command == "survivors":
        found = queries.survivors(document, arguments.target, arguments.file, arguments.function)
        print(queries.render_survivors(document, found, arguments.verbose))
        return exit_codes.PASS
    print(queries.render_mutant(queries.find_mutant(document, arguments.mutant_id)))
    return exit_codes.PASS


def _gate(config_path, flags, read_cache=True, diff_base=None, shard=None):
    document, path = guarded_run(config_path, flags, lambda line: print(f"mutation-gate: {line}", file=sys.stderr),
                                 read_cache, diff_base, **({} if shard is None else {"shard": shard}))
    emit(document, ["terminal"], path.parent)
    if shard is not None:  # part of the run: its reports and annotations are the merge's to write
        print(f"shard: {os.path.relpath(path)}")
        return document["verdict"]["exit_code"]
    return _publish(document, path)


def _merge(config, paths):
    """`merge`: the shards' documents checked, merged and judged as one run, written like a run's."""
    shards = check_shards([(path, store.load(path)) for path in paths])
    evidence = merged_document(shards)
    if "cache" in evidence["run"]:  # the merged run's results go to the shared cache, not to shard 1's file
        evidence["run"]["cache"]["path"] = config.cache
    waivers = load_waivers(config, datetime.date.today())
    check_waived_tests_exist(config, waivers, set(evidence["tests"]))  # as a run does after its preflight
    document = apply_verdicts(evidence, config, waivers)
    path = store.gate_json_path(config)
    write_report(document, path)
    remove_stale(path.parent)
    emit(document, ["terminal"], path.parent)
    exit_code = _publish(document, path, config.report_formats)  # the merging project's formats, as its verdicts
    # Only now, and never changing the exit code: the cache is an optimisation, not evidence.
    for line in merge_shard_caches(config.resolve(config.cache), config.cache, shards):
        print(line, file=sys.stderr)
    return exit_code


def _publish(document, path, formats=None):
    # The verdict is already decided and stored: a report format that cannot be written here is a note.
    emit(document, document["run"]["config"]["report_formats"] if formats is None else formats, path.parent,
         strict=False)
    github.publish(document, os.environ, sys.stdout)  # the job summary and annotations, only under GitHub Actions
    print(f"report: {os.path.relpath(path)}")
    return document["verdict"]["exit_code"]


def _report(source, formats, report_dir):
    names = [name for written in formats or ["terminal"] for name in (FILE_FORMATS if written == "all" else [written])]
    for name in names:
        find_writer(name)  # an unknown name is refused before the report is read
    document = store.load(source)
    emit(document, names, report_dir)
    return exit_codes.PASS


if __name__ == "__main__":
    sys.exit(main())
