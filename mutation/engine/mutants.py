"""Every mutant mutmut 3.8.1 makes, located: file, function, line and column span, the statement
it sits in, a diff and the changed text (a `model.Mutant` each).

mutmut names a mutant `<module>.<mangled function>__mutmut_<n>`, numbering the mutations of
each function in the order its visitor finds them. This module runs the same visitor over the
original source with position metadata kept, so every mutant gets an exact location. The gate
checks these names against mutmut's results (`results.check_names`) and stops if they differ,
so a change in mutmut cannot silently mislabel mutants.
"""

import difflib
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider
from mutmut.configuration import config, reset_config
from mutmut.mutation.file_mutation import MutationVisitor, deep_replace, group_by_top_level_node
from mutmut.mutation.mutators import mutation_operators
from mutmut.mutation.pragma_handling import get_ignored_lines
from mutmut.mutation.trampoline_templates import mangle_function_name
from mutmut.utils.file_utils import change_cwd
from mutmut.utils.format_utils import get_mutant_name

from mutation.model import Mutant


def locate_all(work_root, files):
    """The mutants of every file; `files` are (path in the work directory, path to report) pairs.

    mutmut reads its configuration (pragmas, `do_not_mutate`) from the current directory, so
    this runs in the work directory, with mutmut's cached configuration reset around it.
    """
    reset_config()
    try:
        with change_cwd(work_root):
            return [mutant for work_path, shown_path in files if config().should_mutate(work_path)
                    for mutant in locate_file(work_path, shown_path, work_path)]
    finally:
        reset_config()


def locate_file(source_path, display_path, mutmut_relative_path):
    """Every mutant mutmut generates for one file.

    `source_path` is read; `display_path` names the file in diffs and reports;
    `mutmut_relative_path` is the path mutmut sees (it decides the mutant names).
    """
    code = Path(source_path).read_text(encoding="utf-8")
    wrapper = MetadataWrapper(cst.parse_module(code))
    ignored = get_ignored_lines(str(mutmut_relative_path), code, wrapper)
    visitor = MutationVisitor(mutation_operators, ignored, None)
    wrapper.visit(visitor)
    positions = wrapper.resolve(PositionProvider)
    parents = wrapper.resolve(ParentNodeProvider)
    class_of = _class_names(wrapper.module)
    lines = code.splitlines()
    module = Path(mutmut_relative_path)
    mutants = []
    for function, mutations in group_by_top_level_node(visitor.mutations).items():
        if not isinstance(function, cst.FunctionDef):
            continue  # a class-body statement: mutmut drops these mutations too
        class_name = class_of.get(function)
        mangled = mangle_function_name(name=function.name.value, class_name=class_name) + "__mutmut"
        qualified = ".".join(part for part in (class_name, function.name.value) if part)
        function_range = positions[function]
        function_lines = (function_range.start.line, function_range.end.line)
        original_function = wrapper.module.code_for_node(function)
        for number, mutation in enumerate(mutations, start=1):
            name = get_mutant_name(module, f"{mangled}_{number}")
            span = positions[mutation.original_node]
            statement = _enclosing_statement(mutation.original_node, parents)
            mutated_function = wrapper.module.code_for_node(
                deep_replace(function, mutation.original_node, mutation.mutated_node)
            )
            mutants.append(
                Mutant(
                    engine_name=name,
                    id=f"{name.rpartition('.')[0]}.{qualified}#{number}" if "." in name else f"{qualified}#{number}",
                    file=display_path,
                    function=qualified,
                    start_line=span.start.line,
                    start_column=span.start.column,
                    end_line=span.end.line,
                    end_column=span.end.column,
                    statement_line=positions[statement].start.line,
                    in_signature=statement is function,
                    function_lines=function_lines,
                    diff=_diff(display_path, lines, original_function, mutated_function, function_lines[0]),
                    mutated_text=_changed_text(original_function, mutated_function),
                )
            )
    return mutants


def _class_names(module):
    return {
        method: statement.name.value
        for statement in module.body
        if isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock)
        for method in statement.body.body
        if isinstance(method, cst.FunctionDef)
    }


def _enclosing_statement(node, parents):
    """The nearest statement holding `node`: its first line is what coverage records as run."""
    current = node
    while not isinstance(current, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
        current = parents[current]
    return current


def _diff(path, lines, original_function, mutated_function, def_line):
    """A unified diff of the mutant against the file, one line of context, real line numbers.

    libcst renders a function without its enclosing indentation, so both renderings are
    diffed as they come and the file's own lines (and indentation) are shown for the hunk.
    """
    before = original_function.splitlines()
    after = mutated_function.splitlines()
    first_rendered = next(i for i, line in enumerate(before) if line.lstrip().startswith(("def ", "async def ")))
    offset = def_line - 1 - first_rendered
    indent = lines[def_line - 1][: len(lines[def_line - 1]) - len(lines[def_line - 1].lstrip())]
    hunks = []
    for group in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_grouped_opcodes(1):
        a_start, a_end = group[0][1], group[-1][2]
        b_start, b_end = group[0][3], group[-1][4]
        hunks.append(f"@@ -{a_start + offset + 1},{a_end - a_start} +{b_start + offset + 1},{b_end - b_start} @@")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                hunks += [f" {lines[offset + i]}" for i in range(i1, i2)]
                continue
            hunks += [f"-{lines[offset + i]}" for i in range(i1, i2)]
            hunks += [f"+{indent}{line}" if line else "+" for line in after[j1:j2]]
    return "\n".join([f"--- {path}", f"+++ {path}", *hunks])


def _changed_text(original_function, mutated_function):
    """The mutant's changed lines, stripped: what exclusions match on."""
    before = original_function.splitlines()
    after = mutated_function.splitlines()
    changed = [
        line.strip()
        for tag, _, _, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()
        if tag != "equal"
        for line in after[j1:j2]
    ]
    return "\n".join(changed)
