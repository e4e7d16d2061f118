"""All verdicts on one evidence document, in order: scores, each test's class and rejection, each
function's class, the comparison with the ratchet baseline, then the judge's verdict (exit code and reasons)."""

from mutation.verdicts.baseline import baseline_entry
from mutation.verdicts.judge import judge
from mutation.verdicts.per_function import classify_functions
from mutation.verdicts.per_test import classify_tests
from mutation.verdicts.scores import add_scores


def apply_verdicts(document, config, waivers):
    """Add the verdicts to `document` (built by `report.document`) and return it."""
    add_scores(document)
    verdicts = classify_tests(document, config.reject, waivers, document.get("run", {}).get("diff", {}).get("changed_tests", {}))
    for test, verdict in verdicts.items():
        document["tests"][test].update(verdict)
    document["functions"] = classify_functions(document)
    document["rejected_tests"] = sorted(test for test, verdict in verdicts.items() if verdict["rejected"])
    baseline = baseline_entry(document, config)
    if baseline is not None:
        document["baseline"] = baseline
    document["verdict"] = judge(document, config)
    return document
