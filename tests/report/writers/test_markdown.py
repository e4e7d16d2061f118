"""The Markdown summary: verdict, targets with their bars, rejected tests, top survivors with
their diffs and the report files, escaped so that hostile names render as text, and capped."""

import html
import re

from markdown_it import MarkdownIt

from mutation.report import markdown_text
from mutation.report.writers import markdown
from tests.factories import A_DIFF, gate_document, mutant_entry, per_test_entry
from tests.report.flaky import FLAKY_ID, FLAKY_NOTE, FLAKY_REASON, flaky_document, flaky_entry
from tests.report.hostile import HOSTILE_DIFF, HOSTILE_TEST, MARKERS, hostile_document

T1 = "tests/test_a.py::test_one"
T2 = "tests/test_a.py::test_two"


def summary_document():
    """pkg/a.py at 50% (minimum 60%, one survivor), pkg/b.py at 100%; test_one covers and kills nothing."""
    mutants = [
        mutant_entry("pkg.a.f#1", "killed", covered_by=[T1, T2], killed_by=[(T2, "assertion")], line=2),
        mutant_entry("pkg.a.f#2", covered_by=[T1, T2], line=2),
        mutant_entry("pkg.b.g#1", "killed", function="g", target="pkg/b.py", covered_by=[T2],
                     killed_by=[(T2, "assertion")], line=5),
    ]
    tests = {T1: {**per_test_entry({"pkg/a.py": [2]}), "body": "tests/test_a.py:12"},
             T2: per_test_entry({"pkg/a.py": [2], "pkg/b.py": [5]},
                                kills=[("pkg.a.f#1", "assertion"), ("pkg.b.g#1", "assertion")])}
    document = gate_document(mutants, tests=tests, min_score=60.0,
                             report_formats=("html", "markdown", "sarif", "badge"))
    document["run"]["config"]["report_dir"] = "reports/mutation"
    return document


def escaped(text):
    """`text` as markdown-it-py escapes it in HTML."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def rendered_html(text):
    """What a CommonMark renderer with raw HTML allowed (and GitHub's tables) makes of `text`."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


def test_render_summary():
    assert markdown.render(summary_document()) == """\
## ❌ Mutation gate: FAIL, rejected tests (exit 3)

- 1 tests raise coverage without asserting behaviour
- pkg/a.py: mutation score 50.00% &lt; minimum 60%

| target | mutants | survived | mutation score | minimum | assertion score | assertion minimum | verdict |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |
| pkg/a.py | 2 | 1 | 50% | 60% | 50% | 0% | ❌ below threshold |
| pkg/b.py | 1 | 0 | 100% | 60% | 100% | 0% | ✅ pass |
| **overall** | 3 | 1 | 66.67% |  | 66.67% |  |  |

```text
pkg/a.py  ████████████████████░░░░|░░░░░░░░░░░░░░░░  50% (minimum 60%)
pkg/b.py  ████████████████████████|████████████████  100% (minimum 60%)
```
_each █ is 2.5 points of mutation score; `|` marks the target's minimum_

### Rejected tests: 1

Each one fails the run (its class is listed in `[mutation_gate] reject`); its hint says what it lacks.

- `tests/test_a.py::test_one`: **covering**, at `tests/test_a.py:12`
  - runs this code but no change to it makes the test fail: assert the exact values it returns and the effects it has
  - passed under 2 of the mutants it ran, e.g. `pkg.a.f#2` (survived, `pkg/a.py:2`), `pkg.a.f#1` (killed, `pkg/a.py:2`)

### Surviving mutants: 1

Executed by the most tests first; `mutation-gate survivors` lists them all, `mutation-gate show ID` shows one.

#### `pkg.a.f#2`

`pkg/a.py:2` in `f`, executed by 2 tests, none failed

```diff
--- pkg/a.py
+++ pkg/a.py
@@ -1,2 +1,2 @@
 def f(x):
-    return x + 1
+    return x - 1
```

---

Full reports in `reports/mutation/`: `gate.json`, `mutation.html`, `mutation.sarif`.
"""


def test_a_passing_run_has_no_reasons_rejected_tests_or_survivors():
    document = gate_document([mutant_entry("pkg.a.f#1", "killed", covered_by=[T2], killed_by=[(T2, "assertion")])],
                             min_assertion_score=95.0)
    document["run"]["config"]["min_assertion_score"] = 95.0

    assert markdown.render(document) == """\
## ✅ Mutation gate: PASS (exit 0)

| target | mutants | survived | mutation score | minimum | assertion score | assertion minimum | verdict |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |
| pkg/a.py | 1 | 0 | 100% | 90% | 100% | 95% | ✅ pass |
| **overall** | 1 | 0 | 100% |  | 100% |  |  |

```text
pkg/a.py  ████████████████████████████████████|████  100% (minimum 90%)
```
_each █ is 2.5 points of mutation score; `|` marks the target's minimum_

---

Full reports: `gate.json`.
"""


def test_a_target_without_mutants_is_a_dotted_bar_passing_with_its_note():
    document = summary_document()
    document["targets"][1].update(mutants=0, survived=0, mutation_score=None, assertion_score=None)
    document["verdict"]["targets"]["pkg/b.py"] = {"status": "pass", "problems": [], "note": "no mutants to measure"}

    lines = markdown.render(document).splitlines()

    assert "| pkg/b.py | 0 | 0 | n/a | 60% | n/a | 0% | ✅ pass: no mutants to measure |" in lines
    assert f"pkg/b.py  {'·' * 40}  n/a (minimum 60%)" in lines


def test_the_bar_reaches_the_minimum_exactly_when_the_score_does():
    # 91% is 36.4 cells: the mark is after cell 37, and the bar stops before it until the score is 91
    assert markdown._bar(91.0, 91.0) == "█" * 37 + "|" + "░" * 3
    assert markdown._bar(90.99, 91.0) == "█" * 36 + "░" + "|" + "░" * 3
    assert markdown._bar(95.0, 91.0) == "█" * 37 + "|" + "█" * 1 + "░" * 2
    assert markdown._bar(100.0, 100.0) == "█" * 40 + "|"
    assert markdown._bar(99.9, 100.0) == "█" * 39 + "░|"
    assert markdown._bar(0.0, 0.0) == "|" + "░" * 40
    assert markdown._bar(50.0, None) == "█" * 20 + "░" * 20


def test_the_hostile_document_renders_as_text():
    summary = markdown.render(hostile_document())
    page = rendered_html(summary)

    for element in ("<img", "<script", "<b>", "<!--"):
        assert element not in page
    assert f"<code>{escaped(HOSTILE_TEST)}</code>" in page
    assert f'<pre><code class="language-diff">{escaped(HOSTILE_DIFF)}\n</code></pre>' in page
    # outside code blocks and code spans, no marker is left raw in the Markdown itself either
    outside = re.sub(r"^(`{3,})[^\n]*\n.*?^\1$", "", summary, flags=re.S | re.M)
    outside = re.sub(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", "", outside)
    assert "`" not in outside  # every span was matched: none hides a marker
    for marker in MARKERS:
        assert marker not in outside


def test_a_diff_holding_backtick_fences_stays_in_one_block():
    diff = "--- a.py\n+++ a.py\n@@ -1 +1 @@\n-x = '```'\n+x = '````'"
    document = gate_document([mutant_entry("pkg.a.f#1", covered_by=[T1], diff=diff)])

    summary = markdown.render(document)

    assert f"`````diff\n{diff}\n`````\n" in summary
    assert f'<pre><code class="language-diff">{escaped(diff)}\n</code></pre>' in rendered_html(summary)


def test_a_pipe_in_a_target_path_stays_in_its_cell():
    document = summary_document()
    document["targets"][0]["path"] = "pkg/a|b.py"
    document["verdict"]["targets"]["pkg/a|b.py"] = document["verdict"]["targets"].pop("pkg/a.py")

    page = rendered_html(markdown.render(document))

    assert "<td>pkg/a|b.py</td>\n<td>2</td>\n<td>1</td>" in page.replace(' style="text-align:right"', "")


def test_survivors_rejected_tests_and_diffs_are_capped_saying_how_many_more():
    long_diff = "\n".join([f"-line {n}" for n in range(45)] + ["+" + "x" * 400])
    mutants = [mutant_entry(f"pkg.a.f#{n}", covered_by=[f"t.py::test_{n}"], line=n, diff=long_diff)
               for n in range(1, 13)]
    document = gate_document(mutants)
    rejected = sorted(document["tests"])

    summary = markdown.render(document)

    assert len(rejected) == 12
    assert summary.count("\n#### ") == 10
    assert "### Surviving mutants: 10 of 12\n" in summary
    assert "\n-line 39\n… 6 more lines\n```\n" in summary
    assert "-line 40" not in summary

    document["rejected_tests"] = [f"t.py::test_{n}" for n in range(1, 13)] * 2 + ["t.py::test_1"]
    summary = markdown.render(document)
    assert summary.count("\n- `t.py::test_") == 20
    assert "\n… and 5 more rejected tests (`gate.json` lists them all).\n" in summary


def test_a_long_diff_line_is_cut():
    assert markdown.cut_diff("+" + "x" * 400) == "+" + "x" * 299 + " …"
    assert markdown.cut_diff("+" + "x" * 299) == "+" + "x" * 299


def test_the_summary_of_a_huge_run_stays_far_below_githubs_limit():
    """GitHub takes at most 1 MiB of step summary: thousands of survivors with huge diffs and long
    test ids stay well below it."""
    mutants = [mutant_entry(f"pkg.a.f#{n}", covered_by=[f"t.py::test_{n}[{'p' * 5_000}]"], line=n)
               for n in range(1, 3_001)]
    document = gate_document(mutants)
    huge_diff = "\n".join("+" + "y" * 10_000 for _ in range(1_000))
    for mutant in document["mutants"]:
        mutant["diff"] = huge_diff

    size = len(markdown.render(document).encode("utf-8"))

    assert len(document["rejected_tests"]) == 3_000
    assert size < 200_000


FLAKY_SECTION = f"""\
### Flaky mutants: 1

Each came out otherwise when re-run once: it is never counted as detected, and {{effect}}. Make the tests \
involved deterministic.

#### `{FLAKY_ID}`

`pkg/a.py:4` in `f`, tests involved: `{T1}`

- first run: **survived**, 2 tests ran, none failed
- re-run: **killed** by `{T1}` (assertion)

```diff
{A_DIFF}
```

---
"""


def test_flaky_mutants_have_a_column_and_the_verdicts_note_under_flaky_warn():
    summary = markdown.render(flaky_document("warn"))

    assert summary.startswith(f"""\
## ✅ Mutation gate: PASS (exit 0)

- note: {markdown_text.text(FLAKY_NOTE)}

| target | mutants | survived | flaky | mutation score | minimum | assertion score | assertion minimum | verdict |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
| pkg/a.py | 3 | 1 | 1 | 33.33% | 20% | 33.33% | 0% | ✅ pass |
| pkg/b.py | 1 | 0 | 0 | 100% | 20% | 100% | 0% | ✅ pass |
| **overall** | 4 | 1 | 1 | 50% |  | 50% |  |  |
""")
    assert FLAKY_SECTION.format(effect="is a note, not a failure (`flaky = warn`)") in summary
    assert summary.index("### Surviving mutants: 1") < summary.index("### Flaky mutants: 1")


def test_under_flaky_fail_the_flaky_mutant_is_a_reason_and_its_section_says_it_fails_the_gate():
    summary = markdown.render(flaky_document("fail"))

    assert summary.startswith(f"## ❌ Mutation gate: FAIL, flaky (exit 7)\n\n- {markdown_text.text(FLAKY_NOTE)}\n\n|")
    assert "note:" not in summary
    assert FLAKY_SECTION.format(effect="fails the gate (`flaky = fail`)") in summary


def test_the_flaky_column_renders_as_a_table_cell_of_its_own():
    page = rendered_html(markdown.render(flaky_document())).replace(' style="text-align:right"', "")

    assert "<th>survived</th>\n<th>flaky</th>\n<th>mutation score</th>" in page
    assert "<td>pkg/a.py</td>\n<td>3</td>\n<td>1</td>\n<td>1</td>\n<td>33.33%</td>" in page


def test_flaky_mutants_are_capped_and_one_without_runs_shows_its_reason():
    document = flaky_document()
    for number in range(4, 15):
        entry = flaky_entry(f"pkg.a.f#{number}", line=number)
        del entry["flaky"]  # a document written without the runs (the schema does not require them)
        document["mutants"].append(entry)

    summary = markdown.render(document)

    assert "### Flaky mutants: 10 of 12\n" in summary
    assert f"#### `pkg.a.f#4`\n\n`pkg/a.py:4` in `f`\n\n- {markdown_text.text(FLAKY_REASON)}\n\n```diff\n" in summary
    assert "`pkg.a.f#12`" in summary and "`pkg.a.f#13`" not in summary
    assert "\n… and 2 more flaky mutants (`gate.json` lists them all).\n" in summary


def test_a_hostile_test_id_among_the_tests_involved_renders_as_code():
    document = flaky_document()
    flaky = next(mutant for mutant in document["mutants"] if mutant["status"] == "flaky")
    flaky["flaky"]["tests"] = [HOSTILE_TEST]
    flaky["flaky"]["runs"][1]["killed_by"] = [{"test": HOSTILE_TEST, "kind": "assertion"}]

    page = rendered_html(markdown.render(document))

    assert page.count(f"<code>{escaped(HOSTILE_TEST)}</code>") == 2
    for element in ("<img", "<script", "<b>"):
        assert element not in page
