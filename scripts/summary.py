"""Print a test run's counts from pytest's JUnit XML report, as one last line:
`tests: N passed, N failed, N skipped` (scripts/test prints it after everything else)."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def main(path: str) -> None:
    suites = ET.parse(path).getroot().iter("testsuite")
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        for key in counts:
            counts[key] += int(suite.get(key, 0))
    failed = counts["failures"] + counts["errors"]
    passed = counts["tests"] - failed - counts["skipped"]
    # a newline first: the notices before it may not end with one
    print(f"\ntests: {passed} passed, {failed} failed, {counts['skipped']} skipped")


if __name__ == "__main__":
    main(sys.argv[1])
