"""Progress while mutants are measured again: a mutant counts once its records are fresh."""

import os

from mutation.collect.measure import sessions_started_since


def test_only_the_watched_mutants_with_records_written_since_count(tmp_path):
    records = tmp_path / "records"
    (records / "credit-1").mkdir(parents=True)
    for name, when in [("m.x_f__mutmut_1", 100), ("m.x_f__mutmut_2", 200), ("m.x_g__mutmut_1", 300)]:
        path = records / "credit-1" / f"{name}.jsonl"
        path.write_text("", encoding="utf-8")
        os.utime(path, (when, when))

    assert sessions_started_since(records, {"m.x_f__mutmut_1", "m.x_f__mutmut_2"}, since=150) == {"m.x_f__mutmut_2"}
