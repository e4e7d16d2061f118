"""Shards: `K/N` parsed strictly, a partition that is the same for the same code, balanced by
expected time or by count, and the filter that sets the other shards' mutants aside."""

import random

import pytest

from mutation.collect.scope import decide_scope, excluding
from mutation.collect.exclusions import Exclusions
from mutation.collect.shards import outside_shard, parse_shard, partition, shard_entry, shard_of, weights
from mutation.errors import ConfigError
from tests.factories import mutant, outcome


def many(count, functions=("f", "g", "h", "k")):
    """`count` mutants spread over `functions`, each with its own line."""
    return [mutant(f"pkg.mod.x_{functions[n % len(functions)]}__mutmut_{n}", function=functions[n % len(functions)],
                   lines=(n + 1, n + 1), mutated_text=f"return x - {n}") for n in range(count)]


def seconds_of(shard, expected):
    return sum(expected[name] for name in shard)


def test_parse_shard_gives_the_one_based_index_and_the_count():
    assert parse_shard("2/4") == (2, 4)
    assert parse_shard("1/1") == (1, 1)


@pytest.mark.parametrize("text", ["0/3", "4/3", "a/b", "3", "1/0", "-1/3", "1/3/5", ""])
def test_parse_shard_refuses_bad_input_in_one_line(text):
    with pytest.raises(ConfigError) as error:
        parse_shard(text)
    assert str(error.value).startswith(f"--shard {text}:")
    assert "\n" not in str(error.value)


def test_every_mutant_is_in_exactly_one_shard():
    mutants = many(23)
    shards = partition(mutants, {}, 4)

    assert len(shards) == 4
    assert sorted(name for shard in shards for name in shard) == sorted(m.engine_name for m in mutants)


def test_the_partition_does_not_depend_on_the_order_of_the_input():
    mutants = many(40)
    expected = {m.engine_name: (n * 7919 % 13) / 10 for n, m in enumerate(mutants)}
    shuffled = list(mutants)
    random.Random(5).shuffle(shuffled)
    reordered = dict(reversed(list(expected.items())))

    assert partition(shuffled, reordered, 3) == partition(mutants, expected, 3)


def test_no_shard_exceeds_the_mean_by_more_than_the_largest_mutant():
    mutants = many(60)
    expected = {m.engine_name: 0.1 + (n * 7919 % 17) ** 2 / 10 for n, m in enumerate(mutants)}
    for n in (2, 3, 5, 7):
        shards = partition(mutants, expected, n)
        mean = sum(expected.values()) / n
        assert max(seconds_of(shard, expected) for shard in shards) <= mean + max(expected.values())


def test_with_many_small_mutants_every_shard_is_within_one_mutant_of_the_mean():
    mutants = many(200)
    expected = {m.engine_name: 0.5 + (n * 31 % 7) / 4 for n, m in enumerate(mutants)}
    mean, largest = sum(expected.values()) / 6, max(expected.values())

    loads = [seconds_of(shard, expected) for shard in partition(mutants, expected, 6)]

    assert all(mean - largest < load <= mean + largest for load in loads)


def test_without_timings_the_split_is_by_count():
    shards = partition(many(10), {}, 3)

    assert sorted(len(shard) for shard in shards) == [3, 3, 4]


def test_all_zero_timings_fall_back_to_the_count():
    mutants = many(6)

    assert sorted(len(shard) for shard in partition(mutants, {m.engine_name: 0.0 for m in mutants}, 2)) == [3, 3]


def test_a_mutant_without_an_estimate_counts_as_the_median():
    mutants = many(4)
    expected = {mutants[0].engine_name: 1.0, mutants[1].engine_name: 3.0, mutants[2].engine_name: float("nan")}

    assert weights(mutants, expected) == [1.0, 3.0, 2.0, 2.0]


def test_mutants_of_one_function_stay_together_except_at_the_cuts():
    mutants = many(40)  # ten mutants in each of four functions
    function = {m.engine_name: m.function for m in mutants}

    shards = partition(mutants, {}, 4)

    assert [sorted({function[name] for name in shard}) for shard in shards] == [["f"], ["g"], ["h"], ["k"]]


def test_more_shards_than_mutants_leaves_some_empty():
    mutants = many(2)

    shards = partition(mutants, {}, 4)

    assert sum(1 for shard in shards if shard) == 2
    assert set(shard_of(shards)) == {m.engine_name for m in mutants}


def test_the_filter_sets_aside_the_other_shards_mutants_naming_their_shard():
    mutants = many(4, functions=("f",))
    shards = partition(mutants, {}, 2)
    first, second = shards

    scope = decide_scope(mutants, [outside_shard(1, 2, mutants, {})])

    assert sorted(m.engine_name for m in scope.measured) == sorted(first)
    assert scope.set_aside == {name: outcome("not_measured", reason="not measured: in shard 2 of 2")
                               for name in second}


def test_the_filter_partitions_every_mutant_even_those_an_earlier_filter_took():
    mutants = many(4, functions=("f",))
    first, second = partition(mutants, {}, 2)
    exclusions = Exclusions((), {first[0]: "equivalent"})

    scope = decide_scope(mutants, [excluding(exclusions), outside_shard(1, 2, mutants, {})])

    assert sorted(m.engine_name for m in scope.measured) == sorted(first[1:])


def test_the_shard_entry_lists_the_ids_of_the_mutants_it_owns():
    mutants = many(4, functions=("f",))
    ids = {m.engine_name: m.id for m in mutants}
    first, _ = partition(mutants, {}, 2)

    assert shard_entry(1, 2, mutants, {}) == {"index": 1, "count": 2, "basis": "count",
                                             "mutants": sorted(ids[name] for name in first)}
    assert shard_entry(1, 2, mutants, {mutants[0].engine_name: 2.5})["basis"] == "seconds"
