"""`survivors` and `show`: answers for a developer, read from the last `gate.json` (instant)."""

from mutation.errors import ConfigError
from mutation.model import MutantStatus


def survivors(document, target=None, function=None):
    found = [mutant for mutant in document["mutants"] if mutant["status"] == MutantStatus.SURVIVED]
    if target:
        found = [mutant for mutant in found if target in (mutant["target"], mutant["file"])]
    if function:
        found = [mutant for mutant in found if mutant["function"] == function
                 or mutant["function"].endswith(f".{function}")]
    return found


def find_mutant(document, mutant_id):
    for mutant in document["mutants"]:
        if mutant_id in (mutant["id"], mutant["mutmut_name"]):
            return mutant
    raise ConfigError(f"no mutant {mutant_id!r} in the last gate report")


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
    lines.append(f"executed by {len(mutant['covered_by'])} tests:")
    lines += [f"  {test}" for test in mutant["covered_by"]]
    return "\n".join(lines)
