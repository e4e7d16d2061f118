"""The ratchet baseline on a real run of the with_survivors fixture: `baseline update` records a complete
run; a weakened test then gives the function a survivor it did not have (exit 6), `baseline update`
refuses to record the lower figures until `--allow-lower`, and the next run passes again."""

import json

from mutation import exit_codes
from tests.fixture_runs import copy_fixture, run_gate

WEAKER = ("    assert bulk_discount(50) == 15", "    assert bulk_discount(50) > 0")


def test_a_weakened_test_regresses_against_the_baseline_until_it_is_lowered_on_purpose(tmp_path):
    root = copy_fixture("with_survivors", tmp_path)
    config = root / "setup.cfg"
    config.write_text(config.read_text().replace("pricing.py = 100", "pricing.py = 0"))
    assert run_gate(root, "run", "--workers", "2").exit_code == exit_codes.PASS
    recorded = run_gate(root, "baseline", "update")
    baseline = json.loads((root / "mutation-baseline.json").read_text())
    test_file = root / "tests" / "test_pricing.py"
    test_file.write_text(test_file.read_text().replace(*WEAKER))

    regressed = run_gate(root, "run", "--workers", "2")
    refused = run_gate(root, "baseline", "update")
    lowered = run_gate(root, "baseline", "update", "--allow-lower")
    again = run_gate(root, "run", "--workers", "2")

    assert (recorded.exit_code, recorded.stdout) == (0, "mutation-baseline.json: 1 targets, 4 survivors recorded\n")
    assert baseline["functions"]["src/shop/pricing.py::bulk_discount"]["survivors"] == ["if quantity > BULK_THRESHOLD:"]
    assert (regressed.exit_code, regressed.document["verdict"]["status"]) == (exit_codes.REGRESSED, "regressed")
    assert regressed.document["verdict"]["reasons"] == [
        "baseline: src/shop/pricing.py::bulk_discount: a new survivor `return 16` (not in the baseline)"]
    assert (refused.exit_code, refused.stderr) == (1, (
        "mutation-gate: mutation-baseline.json: the run would lower 3 figures, e.g. src/shop/pricing.py: detected "
        "8 < 9; pass --allow-lower to accept\n"))
    assert lowered.exit_code == 0 and "lowered: src/shop/pricing.py: detected 8 < 9" in lowered.stdout
    assert (again.exit_code, again.document["baseline"]["regressions"]) == (exit_codes.PASS, [])
