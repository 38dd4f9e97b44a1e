"""`make bench`'s kernel-part rows: the share of the batch's CPU time a part saves, and the 5 % verdict; the
stage rows' share of a province report's maps."""

from __future__ import annotations

from cchc.batch.bench import KERNEL_PARTS, _maps_timed, kernel_part_rows, print_stages


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


def test_a_batch_reuses_its_kernels_and_forks_them_from_a_zygote_only_when_asked(monkeypatch):
    """The decision of issue 22 (docs/DEVELOPING.md, "The kernel parts"): kernel reuse on by default; the warm
    zygote opt-in (it saved 1.2 % and -3.6 % of a 64-report batch's CPU in two quiet measures, under 5 %)."""
    from cchc.batch.jobs import engine
    from cchc.batch.local_pool import warm_kernels

    monkeypatch.delenv("CCHC_WARM_KERNELS", raising=False)
    monkeypatch.delenv("CCHC_REUSE_KERNELS", raising=False)
    assert not warm_kernels() and engine() is not None
    monkeypatch.setenv("CCHC_WARM_KERNELS", "1")
    assert warm_kernels()
    monkeypatch.setenv("CCHC_REUSE_KERNELS", "0")
    assert engine() is None


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


def test_the_stage_rows_print_a_reports_map_cost_timed_where_its_sections_draw_its_maps(report_context, capsys):
    """The bench times a province report's two maps (locator, small maps of the indices) as its sections make
    them, and prints their cost per report under the stages (issue 23: "make bench shows the map cost")."""
    from cchc.report import maps, position_sections

    originals = (maps.add_locator, maps.add_index_maps)
    ticks: list[int] = []

    def clock() -> float:  # one tick a reading: each map timed adds exactly 1
        ticks.append(1)
        return float(len(ticks))

    total = [0.0]
    ctx = report_context("ha-noi", 2023)
    with _maps_timed(total, clock):
        position_sections.summary(ctx)  # the locator
        position_sections.position(ctx)  # the small maps
    assert total == [2.0]
    assert (maps.add_locator, maps.add_index_maps) == originals  # as they were after the block
    stages = {"data": [0.1], "analysis": [1.0], "charts": [0.3], "HTML export": [0.1], "PDF": [1.5]}
    print_stages({k: v * 3 for k, v in stages.items()} | {"maps": [0.09, 0.07, 0.05]})
    assert "of which maps (built in analysis, drawn in charts): 0.070 s median, 0.050 s best" in capsys.readouterr().out
