"""The source of each file holding the suite's tests, for the reports that show a test on its own
lines (the Stryker report's test view draws a test only beside its file's source)."""


def sources_of_test_files(project_root, test_ids):
    """`{path: text}` of every readable UTF-8 file a test id names (`path::name`), relative to the project."""
    paths = sorted({test.split("::", 1)[0] for test in test_ids})
    sources = {}
    for path in paths:
        try:
            sources[path] = (project_root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, ValueError):
            continue  # a file pytest named but that is gone or not text: its tests are listed without their lines
    return sources
