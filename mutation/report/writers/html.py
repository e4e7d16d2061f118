"""The HTML report: one self-contained page showing the Stryker-schema report in the
mutation-testing-elements viewer (`<mutation-test-report-app>`), which opens offline from file://.

The viewer's bundle (mutation-testing-elements, pinned to ELEMENTS_VERSION) is inlined in a
`<script>`; the report is a JSON data block the page parses and hands to the viewer's `report`
property. Reading the bundle is the only I/O (`find_bundle`); `page` builds the text.
"""

import base64
import html
import json
import os
from pathlib import Path

from mutation.errors import FormatUnavailable
from mutation.report.writers import stryker

ELEMENTS_VERSION = "3.9.0"
ENV_VAR = "MUTATION_GATE_ELEMENTS_JS"
BUNDLE = Path("node_modules/mutation-testing-elements/dist/mutation-test-elements.js")
GATE_CHECKOUT = Path(__file__).resolve().parents[3]

# Inside a <script> only `</script` ends it, and `<!--` followed by `<script` keeps a later
# `</script>` from ending it: the report JSON has `<`, `>` and `&` as \u escapes (json.dumps's
# ensure_ascii already writes every other non-ASCII character so, U+2028 and U+2029 included).
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))

_BOOT = """const app = document.querySelector('mutation-test-report-app');
app.report = JSON.parse(document.getElementById('mutation-report').textContent);
function updateTheme() { document.body.style.backgroundColor = app.themeBackgroundColor; }
app.addEventListener('theme-changed', updateTheme);
updateTheme();"""


def render(document):
    return from_report(document, stryker.report(document))


def from_report(document, report):
    """The page of `document` around its Stryker `report` (the registry builds it once for every format using it)."""
    bundle = find_bundle(document)
    return page(report, bundle, document["overall"]["mutation_score"])


def page(report, bundle, score):
    """The page around the Stryker-schema dict `report`, the viewer's `bundle` text and the overall score."""
    title = html.escape(f"mutation-gate report: {_score_text(score)}")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{bundle_script(bundle)}
</head>
<body>
<mutation-test-report-app title-postfix="{title}">Your browser does not run custom elements: open this report \
in a current Chromium, Firefox or Safari.</mutation-test-report-app>
<script type="application/json" id="mutation-report">{script_json(report)}</script>
<script>
{_BOOT}
</script>
</body>
</html>
"""


def script_json(value):
    """`value` as JSON that can stand inside a <script>: `<`, `>`, `&` and all non-ASCII as \\u escapes."""
    text = json.dumps(value, separators=(",", ":"))
    for character, escape in _SCRIPT_ESCAPES:  # str.replace: a few ms a pass over a large report
        text = text.replace(character, escape)
    return text


def bundle_script(bundle):
    """The viewer's code as a <script>: inline as it is, or (when its text could end the script
    early) as a base64 data: URL, which no text can end."""
    if _could_end_its_script(bundle):
        encoded = base64.b64encode(bundle.encode("utf-8")).decode("ascii")
        return f'<script src="data:text/javascript;base64,{encoded}"></script>'
    return f"<script>\n{bundle}\n</script>"


def _could_end_its_script(text):
    lowered = text.lower()
    comment = lowered.find("<!--")
    return "</script" in lowered or (comment >= 0 and "<script" in lowered[comment:])


def bundle_candidates(document, environ):
    """Where the bundle is looked for, in order: $MUTATION_GATE_ELEMENTS_JS, the judged project's
    node_modules, the gate's own checkout's node_modules."""
    candidates = []
    if environ.get(ENV_VAR):
        candidates.append(Path(environ[ENV_VAR]))
    project_root = document["run"]["config"].get("project_root")
    if project_root:
        candidates.append(Path(project_root) / BUNDLE)
    candidates.append(GATE_CHECKOUT / BUNDLE)
    return candidates


def find_bundle(document, environ=None):
    """The text of the first bundle found; it must be the pinned version (its package.json says)."""
    environ = os.environ if environ is None else environ
    named = environ.get(ENV_VAR)
    if named and not Path(named).is_file():  # a bundle asked for by name is that one or none
        raise FormatUnavailable(f"{ENV_VAR}={named}: no such file")
    candidates = bundle_candidates(document, environ)
    for path in candidates:
        if path.is_file():
            _check_version(path)
            return path.read_text(encoding="utf-8")
    looked = ", ".join(str(path) for path in candidates)
    raise FormatUnavailable(f"the viewer's bundle mutation-test-elements.js is not installed (looked at {looked}): "
                            f"run `npm install mutation-testing-elements@{ELEMENTS_VERSION}` in the project, or set "
                            f"{ENV_VAR} to its dist/mutation-test-elements.js")


def _check_version(bundle_path):
    manifest = bundle_path.parent.parent / "package.json"
    try:
        version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        version = None
    if version != ELEMENTS_VERSION:
        found = f"version {version}" if isinstance(version, str) else "of unknown version (no readable package.json)"
        raise FormatUnavailable(f"{bundle_path} is mutation-testing-elements {found}, the report is built for "
                                f"{ELEMENTS_VERSION}: run `npm install mutation-testing-elements@{ELEMENTS_VERSION}`")


def _score_text(score):
    return "no mutation score" if score is None else f"{score:.1f}% mutation score"
