"""Every private name of another library the suite uses still exists (cchc.thirdparty): an upgrade that
renames one fails here, by name, rather than in a report later; and the patches undo themselves."""

import pytest

from cchc import thirdparty


@pytest.mark.parametrize("internal", thirdparty.INTERNALS, ids=lambda i: f"{i.module}.{i.attribute}")
def test_the_patched_name_exists(internal):
    assert internal.exists(), f"{internal.module}.{internal.attribute} is gone ({internal.why})"


def test_a_missing_name_is_noticed():
    assert not thirdparty.Internal("json", "no_such_function", "").exists()
    assert not thirdparty.Internal(
        "multiprocessing.process", "BaseProcess._no_such_attr", "", on_instances=True
    ).exists()


def test_every_patch_of_a_module_attribute_is_undone():
    from jupyter_client import session
    from nbformat.v4 import nbbase
    from papermill import engines as pm_engines
    from papermill import execute as pm_execute

    before = (pm_execute.write_ipynb, nbbase.validate, session.extract_dates, pm_engines.dateutil)
    with thirdparty.papermill_writes_kept() as kept:
        pm_execute.write_ipynb({"cells": []}, "ignored.ipynb")
        assert kept == [{"cells": []}]
    with thirdparty.lean_messages():
        assert nbbase.validate is not before[1] and session.extract_dates is not before[2]
        assert pm_engines.dateutil is not before[3]
    with pytest.raises(RuntimeError), thirdparty.lean_messages():
        raise RuntimeError("a failing report")
    assert (pm_execute.write_ipynb, nbbase.validate, session.extract_dates, pm_engines.dateutil) == before


def test_lean_messages_reads_papermills_cell_times_as_dateutil_does():
    """papermill times each cell (``cell_complete``) by parsing the start it wrote with ``isoformat``."""
    import datetime

    from papermill import engines as pm_engines

    start = datetime.datetime(2026, 12, 7, 4, 30, 1, 123456, tzinfo=datetime.UTC).isoformat()
    with thirdparty.lean_messages():
        lean = pm_engines.dateutil.parser.parse(start)
    assert lean == pm_engines.dateutil.parser.parse(start) and lean.tzinfo is not None


def test_children_allowed_restores_the_daemon_flag():
    import multiprocessing

    me = multiprocessing.current_process()
    flag = me.daemon
    with thirdparty.children_allowed():
        assert me.daemon is False
    assert me.daemon == flag


def test_the_kernel_snippets_compile():
    compile(thirdparty.KERNEL_QUIET_FLUSHES, "quiet_flushes", "exec")
    compile(thirdparty.KERNEL_RESET_WARNINGS, "reset_warnings", "exec")
