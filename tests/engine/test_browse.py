"""`mutation-gate browse` hands the work directory to mutmut's own browser and returns its exit code."""

import stat

from mutation.engine import browse


def test_browse_runs_mutmuts_browser_in_the_work_directory_and_returns_its_exit_code(tmp_path, monkeypatch):
    script = tmp_path / "bin" / "mutmut"
    script.parent.mkdir()
    script.write_text('#!/bin/sh\necho "$@ in $(pwd)" > "$0.out"\nexit 7\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(browse, "executable", lambda: str(script))
    work = tmp_path / "work"
    work.mkdir()

    assert browse.browse(work) == 7
    assert (tmp_path / "bin" / "mutmut.out").read_text(encoding="utf-8") == f"browse in {work}\n"
