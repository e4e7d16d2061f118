"""The machine a run measured on, for the Stryker report's `system`."""

import os
import sys

import pytest

from mutation.collect import machine


@pytest.mark.parametrize(("environ", "ci"), [
    ({}, False),
    ({"CI": "true"}, True),
    ({"CI": "1"}, True),
    ({"CI": "false"}, False),
    ({"CI": "0"}, False),
    ({"CI": ""}, False),
    ({"GITHUB_ACTIONS": "true"}, True),
    ({"CI": "false", "GITLAB_CI": "true"}, True),
    ({"JENKINS_URL": "http://ci.example/"}, True),
], ids=["nothing", "ci-true", "ci-1", "ci-false", "ci-0", "ci-empty", "github", "gitlab-beats-ci-false", "jenkins"])
def test_a_run_is_in_ci_when_a_ci_service_says_so(environ, ci):
    assert machine.in_ci(environ) is ci


def test_the_cpu_model_is_read_from_cpuinfo(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Example CPU @ 2.30GHz\n",
                       encoding="utf-8")

    assert machine.cpu_model(str(cpuinfo)) == "Example CPU @ 2.30GHz"


def test_the_description_has_the_stryker_shape_with_this_machines_values():
    system = machine.describe({"CI": "true"})

    assert (system["ci"], system["os"]["platform"], system["cpu"]["logicalCores"]) == (True, sys.platform,
                                                                                       os.cpu_count())
    assert system["ram"]["total"] == os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
