"""The machine a run measured on, as the Stryker report's `system` records it: whether it ran
in CI, the operating system, the CPU and the memory (best effort: what cannot be read is left out)."""

import os
import platform
import sys

# Variables CI services set; `CI` is the common one, and "false" / "0" in it means no.
CI_VARIABLES = ("GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "BUILDKITE", "CIRCLECI", "TF_BUILD", "TEAMCITY_VERSION")


def describe(environ):
    system = {"ci": in_ci(environ), "os": {"platform": sys.platform, "description": platform.platform(),
                                           "version": platform.release()}}
    system["cpu"] = {"logicalCores": os.cpu_count() or 1}
    model = cpu_model()
    if model:
        system["cpu"]["model"] = model
    total = ram_megabytes()
    if total:
        system["ram"] = {"total": total}
    return system


def in_ci(environ):
    flag = environ.get("CI", "").strip().lower()
    return (bool(flag) and flag not in ("false", "0", "no")) or any(environ.get(name) for name in CI_VARIABLES)


def cpu_model(cpuinfo="/proc/cpuinfo"):
    """The CPU's model name from /proc/cpuinfo on Linux, else what `platform` knows ("" when nothing)."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                key, separator, value = line.partition(":")
                if separator and key.strip() == "model name":
                    return value.strip()
    except OSError:
        pass
    return platform.processor()


def ram_megabytes():
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (AttributeError, ValueError, OSError):
        return None
