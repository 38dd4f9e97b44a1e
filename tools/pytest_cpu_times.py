"""A pytest plugin printing the CPU seconds of each test file (set-up included, and every child process the
test waited for): on a machine shared with others, wall times say little, CPU times compare.

    PYTHONPATH=tools .venv/bin/python -m pytest -q -m "not slow" -p no:xdist -p pytest_cpu_times

(one process: under xdist each worker prints its own part).
"""

from __future__ import annotations

import collections
import resource

import pytest

_CPU: collections.Counter[str] = collections.Counter()


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    start = _cpu_seconds()
    yield
    _CPU[item.nodeid.split("::")[0]] += _cpu_seconds() - start


def pytest_terminal_summary(terminalreporter):
    terminalreporter.section(f"CPU seconds by file ({sum(_CPU.values()):.1f} in all)")
    for path, seconds in _CPU.most_common(20):
        terminalreporter.write_line(f"{seconds:7.1f}  {path}")
