"""Debian's headless Chromium, driven by Playwright, for looking at the HTML report as a person would
(tests/report/test_html_in_chromium.py, scripts/screenshot-report).

Chromium is installed by scripts/ensure-chromium, never by `playwright install`. The flags keep it
off the network (the machine has none: its background connections would be refused) and make it
run as root; Playwright gives each launch a new, empty profile directory.
"""

import subprocess
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The viewer's styles are Tailwind CSS v4's (oklch colours, color-mix, @property), which needs Chromium 111.
MIN_CHROMIUM_MAJOR = 111
VIEWPORT = {"width": 1280, "height": 800}
DRAW_TIMEOUT_MS = 20_000  # the full report of this repository is drawn in about 3 s


class ChromiumMissing(Exception):
    """Chromium is not there, or too old for the report page."""


class ReportNotDrawn(Exception):
    """The viewer drew no table: the page names what went wrong on it."""


def check_chromium():
    """Raise ChromiumMissing unless /usr/bin/chromium is there and new enough; returns its major version."""
    if not CHROMIUM.is_file():
        raise ChromiumMissing(f"Chromium is not installed at {CHROMIUM}: run scripts/ensure-chromium")
    output = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, check=False).stdout
    words = [word for word in output.split() if word[:1].isdigit()]
    major = int(words[0].split(".")[0]) if words else 0
    if major < MIN_CHROMIUM_MAJOR:
        raise ChromiumMissing(f"{CHROMIUM} is {output.strip() or 'of unknown version'}; the HTML report needs "
                              f"Chromium {MIN_CHROMIUM_MAJOR} or later: run scripts/ensure-chromium")
    return major


def launch(playwright):
    """A headless Chromium browser (check_chromium first)."""
    check_chromium()
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)


def open_report(browser, path, fragment=""):
    """A new page showing the report file `path` (at `#fragment`) once its viewer has drawn a table,
    and the list of what went wrong on it meanwhile and later (`watch`)."""
    page = browser.new_page(viewport=VIEWPORT)
    problems = watch(page)
    page.goto(f"{Path(path).resolve().as_uri()}{fragment}")
    try:
        page.locator("mte-metrics-table tbody tr").first.wait_for(timeout=DRAW_TIMEOUT_MS)
    except PlaywrightTimeout:
        raise ReportNotDrawn(f"{path}: the viewer drew no table in {DRAW_TIMEOUT_MS / 1000:g} s "
                             f"(on the page: {'; '.join(problems) or 'no error'})") from None
    return page, problems


def watch(page):
    """A list that gets a line for each console error, uncaught error and dialog of `page` (a dialog
    is dismissed: nothing on a report page may open one)."""
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.type} {dialog.message}"), dialog.dismiss()))
    return problems
