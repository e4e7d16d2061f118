"""Screenshot of the HTML report, as the README shows it.

`screenshot_report.py [GATE_JSON] [--out PATH] [--view FRAGMENT]` renders the HTML report of a
finished gate.json (default reports/mutation/gate.json) into a scratch directory, opens it in
headless Chromium (tests/browser.py) at 1280x800 and writes a screenshot of the first screen to
docs/html-report.png. The view is the file list by default (`--view '#test'` for the tests).
Prints how long rendering and the browser's load took, and the HTML's size.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # tests/browser.py, the one place Chromium is launched from

from mutation.errors import GateError  # noqa: E402
from mutation.report import store  # noqa: E402
from mutation.report.writers import html  # noqa: E402
from tests import browser  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gate_json", nargs="?", default="reports/mutation/gate.json")
    parser.add_argument("--out", default=str(REPO / "docs" / "html-report.png"))
    parser.add_argument("--view", default="", help="a fragment of the viewer's, e.g. '#test'")
    args = parser.parse_args(argv)
    try:
        browser.check_chromium()
        document = store.load(Path(args.gate_json))
        started = time.monotonic()
        text = html.render(document)
        rendered = time.monotonic() - started
    except (GateError, browser.ChromiumMissing) as error:
        print(f"screenshot-report: {error}", file=sys.stderr)
        return 1
    print(f"HTML report: {len(text.encode('utf-8')) / 1e6:.1f} MB, rendered in {rendered:.2f} s")
    with tempfile.TemporaryDirectory(prefix="screenshot-report-") as scratch:
        page_path = Path(scratch) / "mutation.html"
        page_path.write_text(text, encoding="utf-8")
        with sync_playwright() as playwright:
            chromium = browser.launch(playwright)
            started = time.monotonic()
            try:
                page, problems = browser.open_report(chromium, page_path, args.view)
            except browser.ReportNotDrawn as error:
                print(f"screenshot-report: {error}", file=sys.stderr)
                return 1
            loaded = time.monotonic() - started
            out = Path(args.out)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            chromium.close()
    print(f"browser: report drawn {loaded:.2f} s after opening it; screenshot {out}")
    for problem in problems:
        print(f"screenshot-report: on the page: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
