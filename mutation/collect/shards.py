"""`--shard K/N`: a deterministic split of a run's mutants into N shards, and the scope filter that
sets aside the mutants of the other shards.

The partition orders every mutant by a stable key (file, function, location, mutated text, engine
name: never dict order or hash randomization) and cuts that order into N contiguous ranges of
balanced expected time: shard k ends at the first mutant where the running total reaches k/N of
the whole. So every mutant is in exactly one shard, no shard's expected time exceeds the mean by
more than the largest single mutant, and the mutants of one function stay together except at the
N-1 cuts (at most N-1 functions are split), which keeps each shard's result-cache hits and
generated files to few modules. A greedy longest-processing-time assignment balances as well but
scatters every function over all the shards; the price of the cuts is that one mutant far slower
than the rest is not given a shard of its own (the bound above still holds).

The expected time of a mutant is the caller's estimate (`expected_seconds`: engine name ->
seconds, e.g. the sum of its covering tests' durations); a mutant without a usable estimate
counts as the median of the others; with no estimate at all (or a total of zero) every mutant
counts as one: the split is by count. The same code gives the same partition on every machine
only if every shard passes the same estimates: they must come from data the shards share (the
restored result cache), not from each machine's own timing of the suite.

A shard's document keeps every mutant: those of the other shards as `not_measured`, with the
shard that measures them in the reason. The document stays a complete gate.json (the writers and
verdicts read it unchanged; a target with mutants not measured passes with a note, as in a
`--diff` run), and `merge` can check that every shard saw the same mutant list, not only that
the shards' own lists add up. Which mutants a shard owns is recorded in `run.shard` (see
`shard_entry`), never inferred from the statuses: a `--diff` run leaves some of its own shard's
mutants not measured too.
"""

import hashlib
import json
import math
from statistics import median

from mutation.collect.outcomes import MutantOutcome
from mutation.errors import ConfigError
from mutation.model import MutantStatus

# What a mutant's session costs besides its tests (a fork, the mutant's activation, the records):
# without it a mutant whose tests take no time would weigh nothing.
SESSION_SECONDS = 0.02


def parse_shard(text):
    """`"K/N"` as (K, N), K 1-based; a one-line ConfigError for anything else."""
    index, separator, count = str(text).strip().partition("/")
    if not separator or not index.strip().isdecimal() or not count.strip().isdecimal():
        raise ConfigError(f"--shard {text}: expected K/N, two whole numbers such as 2/4")
    k, n = int(index), int(count)
    if n < 1:
        raise ConfigError(f"--shard {text}: the number of shards must be at least 1")
    if not 1 <= k <= n:
        raise ConfigError(f"--shard {text}: the shard must be between 1 and {n}")
    return k, n


def stable_order(mutants):
    """`mutants` in an order that depends on their code alone."""
    return sorted(mutants, key=lambda mutant: (mutant.file, mutant.function, mutant.start_line, mutant.start_column,
                                               mutant.end_line, mutant.end_column, mutant.key.mutated_text,
                                               mutant.engine_name))


def weights(mutants, expected_seconds):
    """Each mutant's expected time, in `mutants`' order: its estimate, else the median estimate;
    all ones (a split by count) when there is no estimate or they add up to nothing."""
    known = [_usable(expected_seconds.get(mutant.engine_name)) for mutant in mutants]
    estimates = [value for value in known if value is not None]
    if by_count(mutants, expected_seconds):
        return [1.0] * len(mutants)
    fill = median(estimates)
    return [fill if value is None else value for value in known]


def by_count(mutants, expected_seconds):
    """Whether the split falls back to counting mutants: no usable estimate, or none above zero."""
    return sum(value for mutant in mutants
               if (value := _usable(expected_seconds.get(mutant.engine_name))) is not None) <= 0


def _usable(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) and value >= 0 else None


def partition(mutants, expected_seconds, n):
    """N lists of engine names, shard 1 first: every mutant in exactly one, balanced by expected time."""
    if n < 1:
        raise ValueError(f"cannot split into {n} shards")
    ordered = stable_order(mutants)
    shards = [[] for _ in range(n)]
    costs = weights(ordered, expected_seconds)
    total = sum(costs)
    running, shard = 0.0, 0
    for mutant, weight in zip(ordered, costs):
        shards[shard].append(mutant.engine_name)
        running += weight
        while shard < n - 1 and running >= total * (shard + 1) / n:
            shard += 1
    return shards


def shard_of(shards):
    """engine name -> its 1-based shard, from `partition`'s lists."""
    return {name: index for index, names in enumerate(shards, start=1) for name in names}


def not_measured_reason(index, count):
    return f"not measured: in shard {index} of {count}"


def outside_shard(k, n, mutants, expected_seconds):
    """The scope filter of shard `k` of `n`: every mutant of another shard set aside as not measured.

    The partition is made here, over every mutant of the run (`mutants`), not over the ones an
    earlier filter left: put it first, so that a cached result or an exclusion of another
    shard's mutant is that shard's to report.
    """
    owner = shard_of(partition(mutants, expected_seconds, n))

    def outside(candidates):
        return {mutant.engine_name: MutantOutcome(MutantStatus.NOT_MEASURED, (),
                                                  not_measured_reason(owner[mutant.engine_name], n))
                for mutant in candidates if owner.get(mutant.engine_name, k) != k}

    return outside


def shard_entry(k, n, mutants, expected_seconds):
    """gate.json `run.shard`: which shard this is and the gate ids of the mutants it owns (sorted);
    `basis` says whether the split was by expected time or by count."""
    ids = {mutant.engine_name: mutant.id for mutant in mutants}
    names = partition(mutants, expected_seconds, n)[k - 1]
    return {"index": k, "count": n, "basis": "count" if by_count(mutants, expected_seconds) else "seconds",
            "mutants": sorted(ids[name] for name in names)}


def expected_seconds(record, covered_by, last_runs=None):
    """engine name -> the expected seconds of its session, from data every shard restores alike (the
    result cache), so every machine computes the same partition.

    A mutant's session runs its covering tests only until the first kill (`kill_matrix = sampled`),
    so the best estimate is what its last measurement ran: the summed recorded durations of the
    tests in `last_runs[name]` (each mutant's cached `tests_run`, whether or not that result is
    still valid), plus SESSION_SECONDS. A mutant without one is new or its function changed: it
    may run every covering test, so it expects their summed durations (plus the same). Durations are
    `record["tests"][test]["duration"]` of the restored preflight record; a mutant none of whose
    tests has one gets no estimate, and without a record the result is {} (the split is by count)."""
    tests = record.get("tests") if isinstance(record, dict) else None
    if not isinstance(tests, dict):
        return {}
    durations = {test: value for test, entry in tests.items()
                 if isinstance(entry, dict) and (value := _usable(entry.get("duration"))) is not None}
    last_runs = last_runs or {}
    estimates = {}
    for name, names in covered_by.items():
        known = [durations[test] for test in last_runs.get(name, names) if test in durations]
        if known:
            estimates[name] = round(SESSION_SECONDS + sum(known), 6)
    return estimates


def split_digest(mutants, expected_seconds):
    """A digest of what the partition was computed from (each mutant's weight, in the stable
    order): shards of one run must agree on it, or their partitions may differ. `merge` compares
    it so that shards that restored different result caches are refused with that reason."""
    ordered = stable_order(mutants)
    pairs = [[mutant.engine_name, weight] for mutant, weight in zip(ordered, weights(ordered, expected_seconds))]
    return hashlib.sha256(json.dumps(pairs, separators=(",", ":")).encode("utf-8")).hexdigest()[:16]
