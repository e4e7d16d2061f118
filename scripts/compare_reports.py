"""Compare two gate.json reports of the same code mutant by mutant and test by test.

Prints how many mutants differ in status, in killers (test and kind) and in the tests run under
them, how many tests differ in class, and each difference. Exits 1 when anything differs in
status, killers or class, so it can gate a refactoring: `python scripts/compare_reports.py A B`.
"""

import argparse
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def killers(mutant):
    return sorted((kill["test"], kill["kind"]) for kill in mutant["killed_by"])


def differences(before, after):
    """(what, key, before value, after value) for every mutant and test that differs."""
    old = {mutant["mutmut_name"]: mutant for mutant in before["mutants"]}
    new = {mutant["mutmut_name"]: mutant for mutant in after["mutants"]}
    found = [("mutant", name, "present" if name in old else "absent", "present" if name in new else "absent")
             for name in sorted(set(old) ^ set(new))]
    for name in sorted(set(old) & set(new)):
        for what, value in (("status", lambda m: m["status"]), ("killers", killers),
                            ("tests run", lambda m: sorted(m.get("tests_run", [])))):
            if value(old[name]) != value(new[name]):
                found.append((what, name, value(old[name]), value(new[name])))
    for test in sorted(set(before["tests"]) | set(after["tests"])):
        was, now = before["tests"].get(test, {}).get("class"), after["tests"].get(test, {}).get("class")
        if was != now:
            found.append(("test class", test, was, now))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    arguments = parser.parse_args()
    before, after = load(arguments.before), load(arguments.after)
    found = differences(before, after)
    counts = {what: sum(1 for kind, *_ in found if kind == what) for what in
              ("mutant", "status", "killers", "tests run", "test class")}
    print(f"{len(after['mutants'])} mutants, {len(after['tests'])} tests compared")
    print(", ".join(f"{count} differ in {what}" for what, count in counts.items()))
    for what, key, was, now in found:
        print(f"  {what}: {key}\n    before: {was}\n    after:  {now}")
    blocking = sum(count for what, count in counts.items() if what != "tests run")
    return 1 if blocking else 0


if __name__ == "__main__":
    sys.exit(main())
