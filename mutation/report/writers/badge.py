"""A shields.io endpoint badge of a `gate.json` document's overall mutation score.

The JSON shields.io's endpoint badge reads (`schemaVersion` 1, `label`, `message`, `color`).
The message is the overall mutation score to one decimal, never rounded up to 100.0% while a
mutant is undetected (99.96 is 99.9%). The colour, against the lowest `min_score` of the
targets that have a score (0 when none has one):
- red: the score is below that minimum, or some target's own score is below its minimum;
- yellow: the score is less than MARGIN points above that minimum;
- brightgreen: otherwise;
- lightgrey, message "n/a": no mutant was scored.
"""

import json

MARGIN = 5.0
LABEL = "mutation score"


def render(document):
    return json.dumps({"schemaVersion": 1, "label": LABEL, "message": message(document["overall"]["mutation_score"]),
                       "color": color(document)}) + "\n"


def message(score):
    if score is None:
        return "n/a"
    shown = f"{score:.1f}"
    return "99.9%" if shown == "100.0" and score < 100 else f"{shown}%"


def color(document):
    score = document["overall"]["mutation_score"]
    if score is None:
        return "lightgrey"
    scored = [target for target in document["targets"]
              if target["mutation_score"] is not None and target["min_score"] is not None]
    lowest = min((target["min_score"] for target in scored), default=0.0)
    failing = any(target["mutation_score"] < target["min_score"] for target in scored)
    if failing or score < lowest:
        return "red"
    if score < lowest + MARGIN:
        return "yellow"
    return "brightgreen"
