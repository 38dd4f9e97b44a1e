"""`make bench`'s kernel-part rows: the share of the batch's CPU time a part saves, and the 5 % verdict."""

from __future__ import annotations

from cchc.batch.bench import KERNEL_PARTS, kernel_part_rows


def test_each_part_switched_off_is_compared_with_all_on_by_the_median_cpu_of_its_rounds():
    on, reuse_off, warm_off, both_off = (name for name, _ in KERNEL_PARTS)
    runs = {
        on: [(50.0, 90.0), (70.0, 100.0), (60.0, 110.0)],  # median CPU 100
        reuse_off: [(80.0, 125.0)],  # reuse saves 20 % of 125
        warm_off: [(55.0, 103.0)],  # the zygote saves under 3 %
        both_off: [(55.0, 95.0)],  # costs CPU
    }
    rows = dict(zip((name for name, _ in KERNEL_PARTS), kernel_part_rows(runs, n=20), strict=True))
    assert "CPU   100.0 s (5.00 s per report), wall   60.0 s" in rows[on] and "saves" not in rows[on]
    assert "turned on, it saves 20.0% of this CPU time (worth keeping)" in rows[reuse_off]
    assert "turned on, it saves 2.9% of this CPU time (below 5 %)" in rows[warm_off]
    assert "turned on, it saves -5.3% of this CPU time (below 5 %)" in rows[both_off]


def test_a_batch_forks_no_zygote_unless_asked_and_reuses_its_kernels(monkeypatch):
    """The decision of issue 22 (docs/DEVELOPING.md, "The kernel parts"): the warm zygote is opt-in."""
    from cchc.batch.jobs import engine
    from cchc.batch.local_pool import warm_kernels

    monkeypatch.delenv("CCHC_WARM_KERNELS", raising=False)
    monkeypatch.delenv("CCHC_REUSE_KERNELS", raising=False)
    assert not warm_kernels() and engine() is not None
    monkeypatch.setenv("CCHC_WARM_KERNELS", "1")
    assert warm_kernels()


def test_every_setting_switches_parts_on_and_off_by_the_variables_the_batch_reads(monkeypatch):
    from cchc.batch.jobs import engine
    from cchc.batch.local_pool import warm_kernels

    expected = [(True, True), (False, True), (True, False), (False, False)]  # (reuse, zygote) per row
    for (name, switches), (reuse, zygote) in zip(KERNEL_PARTS, expected, strict=True):
        assert set(switches) <= {"CCHC_REUSE_KERNELS", "CCHC_WARM_KERNELS"}, name
        monkeypatch.delenv("CCHC_WARM_KERNELS", raising=False)
        monkeypatch.delenv("CCHC_REUSE_KERNELS", raising=False)
        for variable, value in switches.items():
            monkeypatch.setenv(variable, value)
        assert (engine() is not None, warm_kernels()) == (reuse, zygote), name
