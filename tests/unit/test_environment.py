"""The conda environment, the pip lock and pyproject.toml describe one environment."""

import os
import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _pins(lines):
    """{normalised name: version}; extras such as dask[distributed] name the package (pip locks dask)."""
    pins = {}
    for line in lines:
        m = re.match(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[A-Za-z0-9_,.\-]+\])?==([^\s;#]+)", line)
        if m:
            pins[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
    return pins


def _pyproject_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = project["dependencies"] + [d for ds in project["optional-dependencies"].values() for d in ds]
    return _pins(deps)


def test_environment_yml_matches_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert _pins(pip_section) == _pyproject_pins()
    assert "python=3.11" in env["dependencies"]


def test_every_direct_dependency_is_pinned_and_locked():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = project["dependencies"] + [d for ds in project["optional-dependencies"].values() for d in ds]
    assert all("==" in d for d in deps), [d for d in deps if "==" not in d]
    lock = _pins((ROOT / "constraints.txt").read_text().splitlines())
    for name, version in _pyproject_pins().items():
        assert lock.get(name) == version, f"{name}: pyproject {version}, constraints.txt {lock.get(name)}"


def test_ci_runs_exactly_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()


def test_slow_format_checker_is_kept_out_of_the_environment():
    """rfc3987-syntax costs ~0.9 s per Jupyter process here (make bench prints the batch figures)."""
    import importlib.util

    assert importlib.util.find_spec("rfc3987_syntax") is None


def test_make_test_runs_the_lint_and_test_fast_exists():
    """`make test` (what CI runs) lints first; every target declared .PHONY has a rule."""
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^test: .*\blint\b", makefile, re.M)
    assert re.search(
        r"^lint: .*\n\t.*ruff check lib tests tools\n\t.*ruff format --check lib tests tools\n\t.*mypy", makefile, re.M
    )
    assert re.search(r'^test-fast: .*\n\t.*pytest -q -m "not slow"', makefile, re.M)
    phony = re.search(r"^\.PHONY: (.*)$", makefile, re.M).group(1).split()
    assert [t for t in phony if not re.search(rf"^{re.escape(t)}:", makefile, re.M)] == []


@pytest.mark.xdist_group("environment-check")
def test_an_xdist_group_reaches_the_scheduler(request):
    """Under ``--dist loadgroup`` (make test, make test-fast) a grouped test's id carries its group, which is what
    pytest-xdist's scheduler sends to one worker (conftest.py's ``pytest_collection_modifyitems``): with pytest 9
    the groups were ignored and each worker made a group's module set-up again."""
    if not (os.environ.get("PYTEST_XDIST_WORKER") and request.config.getvalue("loadgroup")):
        pytest.skip("not under pytest-xdist with --dist loadgroup")
    assert request.node.nodeid.endswith("::test_an_xdist_group_reaches_the_scheduler@environment-check")
