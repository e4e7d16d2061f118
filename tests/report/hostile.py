"""A finished gate.json whose names and source are hostile markup: every report format must show
them as text (HTML, JUnit, SARIF and Markdown escape them; nothing runs, no tag appears)."""

from tests.factories import gate_document, mutant_entry, per_test_entry

HOSTILE_TEST = "tests/test_a.py::test_one[</script><img src=x onerror=alert(1)>]"
PLAIN_TEST = "tests/test_a.py::test_two"
HOSTILE_SOURCE = (
    'def f(x):\n'
    '    """<b>bold</b> & </script><script>alert(2)</script>"""\n'
    '    return x + 1\n'
    '\n'
    '\n'
    'def g(text):\n'
    '    return text + "<!-- ]]> `|` -->"\n'
)
HOSTILE_DIFF = ("--- pkg/a.py\n+++ pkg/a.py\n@@ -6,2 +6,2 @@\n def g(text):\n"
                '-    return text + "<!-- ]]> `|` -->"\n'
                '+    return text + "XX<!-- ]]> `|` -->XX"')
MARKERS = ("<script>alert(2)</script>", "<img src=x onerror=alert(1)>", "<b>bold</b>", "<!-- ]]>")


def hostile_document():
    """Two survivors (one covered by the hostile test), one killed mutant, and the hostile test
    rejected as covering (it kills nothing)."""
    mutants = [
        mutant_entry("pkg.a.f#1", "killed", covered_by=[HOSTILE_TEST, PLAIN_TEST],
                     killed_by=[(PLAIN_TEST, "assertion")], line=3),
        mutant_entry("pkg.a.f#2", covered_by=[HOSTILE_TEST, PLAIN_TEST], line=3),
        mutant_entry("pkg.a.g#1", function="g", covered_by=[HOSTILE_TEST], line=7, diff=HOSTILE_DIFF),
    ]
    tests = {
        HOSTILE_TEST: per_test_entry({"pkg/a.py": [1, 2, 3, 6, 7]}),
        PLAIN_TEST: per_test_entry({"pkg/a.py": [1, 2, 3]}, kills=[("pkg.a.f#1", "assertion")]),
    }
    return gate_document(mutants, tests=tests, sources={"pkg/a.py": HOSTILE_SOURCE})
