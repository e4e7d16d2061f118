"""`survivors` and `show`: answers for a developer, read from the last `gate.json` (instant).

`survivors` fits a screen: each surviving mutant with its diff and the few covering tests
*nearest* to the mutated code (`--verbose` lists every covering test, as `show` does). The
nearest tests are the covering tests that execute the fewest target lines in all (the most
focused on the mutated code: a unit test of the function before an end-to-end test that also
runs it), ties broken by whether the test's class or function name mentions the function (a part
of `Class.method`, compared without case or underscores), then by name. At most one parameter
set of a parametrized test is named, so the few shown are different tests.
"""

from collections import Counter
from difflib import SequenceMatcher

from mutation.errors import ConfigError
from mutation.model import MutantStatus

NEAREST_SHOWN = 3
CHOICES_SHOWN = 5


def survivors(document, target=None, file=None, function=None):
    """The surviving mutants of `document` that pass every filter given; a filter value that names
    nothing in the report is a user error (the flag, the value and some valid values)."""
    check_filter("--target", "target", target, [entry["path"] for entry in document["targets"]])
    check_filter("--file", "file", file, [path for entry in document["targets"] for path in entry["files"]]
                 + [mutant["file"] for mutant in document["mutants"]])
    if function and not any(function_matches(mutant["function"], function) for mutant in document["mutants"]):
        check_filter("--function", "function", function, [mutant["function"] for mutant in document["mutants"]])
    found = [mutant for mutant in document["mutants"] if mutant["status"] == MutantStatus.SURVIVED]
    if target:
        found = [mutant for mutant in found if mutant["target"] == target]
    if file:
        found = [mutant for mutant in found if mutant["file"] == file]
    if function:
        found = [mutant for mutant in found if function_matches(mutant["function"], function)]
    return found


def function_matches(name, wanted):
    return name == wanted or name.endswith(f".{wanted}")


def check_filter(flag, noun, value, valid):
    if value is None or value in valid:
        return
    raise ConfigError(f"{flag} {value}: no such {noun} in the last report ({noun}s: {choices(value, valid)})")


def choices(value, valid):
    """Up to CHOICES_SHOWN of `valid`: those holding `value` first, then the most alike."""
    distinct = set(valid)
    ranked = sorted((value.lower() not in name.lower(), -SequenceMatcher(None, value, name).ratio(), name)
                    for name in distinct)
    shown = [name for *_, name in ranked[:CHOICES_SHOWN]]
    more = len(distinct) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "") if distinct else "none"


def find_mutant(document, mutant_id):
    for mutant in document["mutants"]:
        if mutant_id in (mutant["id"], mutant["mutmut_name"]):
            return mutant
    raise ConfigError(f"no mutant {mutant_id!r} in the last gate report")


def render_survivors(document, found, verbose=False):
    """`survivors`' whole answer: each mutant (brief, or in full when `verbose`), then a summary line."""
    if verbose:
        blocks = [render_mutant(mutant) for mutant in found]
    else:
        sizes = line_counts(document["tests"])
        blocks = [render_brief(mutant, nearest_tests(mutant, sizes)) for mutant in found]
    return "".join(f"{block}\n\n" for block in blocks) + summary(found)


def summary(found):
    by_file = sorted((-count, path) for path, count in Counter(mutant["file"] for mutant in found).items())
    files = ", ".join(f"{-count} in {path}" for count, path in by_file)
    return f"{len(found)} surviving mutants" + (f" ({files})" if files else "")


def line_counts(tests):
    """How many target lines each test of the report executes, in all files."""
    return {test: sum(len(lines) for lines in entry["target_lines"].values()) for test, entry in tests.items()}


def nearest_tests(mutant, sizes, count=NEAREST_SHOWN):
    """The `count` covering tests of `mutant` nearest to its code (see the module docstring)."""
    parts = [_plain(part) for part in mutant["function"].split(".") if _plain(part)]
    ranked = sorted((sizes.get(test, float("inf")), not mentions(test, parts), test) for test in mutant["covered_by"])
    chosen, seen = [], set()
    for *_, test in ranked:
        base = test.partition("[")[0]
        if base not in seen:
            seen.add(base)
            chosen.append(test)
            if len(chosen) == count:
                break
    return chosen


def mentions(test, parts):
    """Whether the test's name (its class and function, not its file or parameters) holds one of `parts`."""
    name = _plain(test.partition("[")[0].partition("::")[2])
    return any(part in name for part in parts)


def _plain(name):
    return name.replace("_", "").lower()


def render_brief(mutant, nearest):
    lines = [
        f"{mutant['id']}  [{mutant['status']}]",
        f"  location: {mutant['file']}:{mutant['start_line']}:{mutant['start_column']} in {mutant['function']} "
        f"(target {mutant['target']})",
    ]
    if mutant["reason"]:
        lines.append(f"  reason: {mutant['reason']}")
    lines += ["", mutant["diff"], ""]
    covering = len(mutant["covered_by"])
    if not nearest:
        lines.append("executed by no tests")
        return "\n".join(lines)
    lines.append(f"executed by {covering} tests; nearest:")
    lines += [f"  {test}" for test in nearest]
    if covering > len(nearest):
        lines.append(f"  ... {covering - len(nearest)} more (--verbose lists all)")
    return "\n".join(lines)


def render_mutant(mutant):
    lines = [
        f"{mutant['id']}  [{mutant['status']}]",
        f"  mutmut name: {mutant['mutmut_name']}",
        f"  location:    {mutant['file']}:{mutant['start_line']}:{mutant['start_column']}"
        f"-{mutant['end_line']}:{mutant['end_column']} in {mutant['function']} (target {mutant['target']})",
    ]
    if mutant["reason"]:
        lines.append(f"  reason:      {mutant['reason']}")
    lines += ["", mutant["diff"], ""]
    if mutant["killed_by"]:
        lines.append("killed by:")
        lines += [f"  {kill['test']}  ({kill['kind']})" for kill in mutant["killed_by"]]
    if mutant.get("credited_by"):
        lines.append("also killed in credit passes by:")
        lines += [f"  {kill['test']}  ({kill['kind']})" for kill in mutant["credited_by"]]
    lines.append(f"executed by {len(mutant['covered_by'])} tests:")
    lines += [f"  {test}" for test in mutant["covered_by"]]
    return "\n".join(lines)
