"""What mutmut generated for a target file, and the mutants the gate located in it, kept beside
the result cache and restored while the file is what it was.

An entry is keyed by the file's path in the work directory and in reports, its text, mutmut's
version and the `do_not_mutate` patterns: everything the generated file and the located mutants
are made from. Restored, the generated file gets a modification time after its source's, which
is how mutmut itself tells an up-to-date file it need not generate again; the located mutants
are read back instead of being located again (both cost seconds per large file). An entry whose
files are missing or not what was stored is not restored: the file is generated and located
afresh, and its entry written again.
"""

import dataclasses
import hashlib
import json
import os
import shutil
from pathlib import Path

from mutation.collect.fingerprints import digest
from mutation.model import Mutant

SUFFIXES = ("", ".meta", ".spans")  # the generated file, mutmut's names and hashes, its line spans
MUTANTS = "mutants.json"


def directory_of(cache_path):
    """Where the entries of the result cache at `cache_path` live: beside it, named after it."""
    cache_path = Path(cache_path)
    return cache_path.with_name(cache_path.stem + ".generated")


def file_key(work_path, shown_path, source_text, settings):
    """The entry of one target file; `settings`: mutmut's version and `do_not_mutate`, as text."""
    return digest(work_path, shown_path, source_text, settings)


def restore(directory, work_root, keys):
    """Copy each stored entry of `keys` (work path -> file_key) into `work_root/mutants`; returns
    work path -> its located mutants, for the files restored."""
    restored = {}
    for work_path, key in keys.items():
        mutants = _restore_one(Path(directory) / key, Path(work_root), work_path)
        if mutants is not None:
            restored[work_path] = mutants
    return restored


def _restore_one(entry, work_root, work_path):
    try:
        stored = json.loads((entry / MUTANTS).read_text(encoding="utf-8"))
        if stored["work_path"] != work_path or any(_sha(entry / f"generated{suffix}") != stored["files"][suffix]
                                                   for suffix in SUFFIXES):
            return None
        mutants = [_mutant(fields) for fields in stored["mutants"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    source = work_root / work_path
    for suffix in SUFFIXES:
        target = work_root / "mutants" / f"{work_path}{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(entry / f"generated{suffix}", target)
        later = source.stat().st_mtime + 1  # mutmut regenerates a file only when it is not newer than its source
        os.utime(target, (later, later))
    return mutants


def _mutant(fields):
    return Mutant(**{**fields, "function_lines": tuple(fields["function_lines"])})


def keep(directory, work_root, keys, mutants_by_file):
    """Store an entry for each file of `keys` not stored yet, from `work_root/mutants` as generated;
    entries of no current key are removed. A cache that cannot be written only costs time."""
    directory = Path(directory)
    try:
        for work_path, key in keys.items():
            generated = [Path(work_root) / "mutants" / f"{work_path}{suffix}" for suffix in SUFFIXES]
            if (directory / key / MUTANTS).is_file() or not all(path.is_file() for path in generated):
                continue
            _store_one(directory / key, work_path, generated, mutants_by_file.get(work_path, []))
        for stale in (path for path in directory.iterdir() if path.name not in set(keys.values())):
            shutil.rmtree(stale, ignore_errors=True)
    except OSError:
        pass


def _store_one(entry, work_path, generated, mutants):
    partial = entry.with_name(entry.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for suffix, path in zip(SUFFIXES, generated):
        shutil.copyfile(path, partial / f"generated{suffix}")
    stored = {"work_path": work_path, "files": {suffix: _sha(partial / f"generated{suffix}") for suffix in SUFFIXES},
              "mutants": [dataclasses.asdict(mutant) for mutant in mutants]}
    (partial / MUTANTS).write_text(json.dumps(stored), encoding="utf-8")
    shutil.rmtree(entry, ignore_errors=True)
    os.replace(partial, entry)  # a reader sees a whole entry or none


def _sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
