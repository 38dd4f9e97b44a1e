"""Several years in one batch: `--years` as typed (a range, a list, all), the years it resolves to, one plan
for all of them, and the progress line a batch prints."""

from __future__ import annotations

import io

import pytest

from cchc import cli
from cchc.analysis.metrics import data_years
from cchc.batch.params import BatchParams
from cchc.batch.plan import plan_batch
from cchc.batch.progress import Progress, progress_line
from cchc.batch.years import parse_years
from cchc.errors import EXIT_USAGE, UsageError

PLAN = BatchParams((2021,), ("dak-nong", "Ninh Bình"), ("html",), "vi", True, 1, 60, 120, "plan.yaml")


@pytest.mark.parametrize(
    ("typed", "named", "spans", "every"),
    [
        ("2023", (2023,), (), False),
        ("2005-2025", (), ((2005, 2025),), False),
        ("2005–2025", (), ((2005, 2025),), False),  # the en dash people paste from documents
        ("2021,2023", (2021, 2023), (), False),
        (" 2023, 2021 2021 ", (2021, 2023), (), False),
        ("2012,2016-2018", (2012,), ((2016, 2018),), False),
        ("all", (), (), True),
        ("ALL", (), (), True),
    ],
)
def test_years_are_read_as_a_year_a_range_a_list_or_all(typed, named, spans, every):
    asked = parse_years(typed)
    assert (asked.named, asked.spans, asked.every) == (named, spans, every)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("20x5", "'20x5' is none of these"),
        ("", "takes a year (2023), a range (2005-2025), a list (2021,2023) or all"),
        ("2025-2005", "the range 2025-2005 ends before it starts; write 2005-2025"),
        ("1999", "1999 is outside the years the data can hold"),
        ("2005-2099", "2099 is outside the years the data can hold"),
        ("2023;2024", "'2023;2024' is none of these"),
        ("latest", "'latest' is none of these"),
    ],
)
def test_bad_years_are_refused_naming_the_argument_and_what_it_takes(typed, says):
    with pytest.raises(UsageError) as e:
        parse_years(typed)
    assert str(e.value).startswith("--years") and says in str(e.value)


def test_the_command_refuses_bad_years_before_anything_loads(capsys):
    assert cli.main(["batch", "--years", "2025-2005"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "argument --years: the range 2025-2005 ends before it starts" in err
    assert cli.main(["batch", "--year", "2023", "--years", "all"]) == EXIT_USAGE
    assert "not allowed with argument --year" in capsys.readouterr().err


def test_all_is_every_year_with_figures_and_a_range_the_years_in_it_with_figures(shipped):
    with_figures = data_years(shipped)
    everything = parse_years("all").resolve(shipped)
    assert set(with_figures) <= set(everything)
    assert set(everything) - set(with_figures) <= {2025}  # the merger year: new units report their predecessors
    assert parse_years("2005-2030").resolve(shipped) == everything
    assert parse_years("2019-2021").resolve(shipped) == [y for y in with_figures if 2019 <= y <= 2021]
    assert parse_years("2021,2019-2020").resolve(shipped) == [2019, 2020, 2021]


def test_a_range_without_figures_and_a_named_year_without_figures_are_refused(shipped):
    with pytest.raises(UsageError, match=r"--years 2027-2030: no year in this range has figures"):
        parse_years("2021,2027-2030").resolve(shipped)
    with pytest.raises(UsageError, match="no figures for 2030"):
        parse_years("2030").resolve(shipped)


def test_several_years_are_one_plan_with_the_same_jobs_as_each_year_alone(shipped):
    years = [2019, 2020, 2021]
    jobs, skipped = plan_batch(PLAN, shipped, years)
    one_by_one = [plan_batch(PLAN, shipped, [y]) for y in years]
    assert [(j.request.year, j.request.name, j.fingerprint) for j in jobs] == [
        (j.request.year, j.request.name, j.fingerprint) for alone, _ in one_by_one for j in alone
    ]
    assert skipped == [s for _, alone in one_by_one for s in alone]
    assert {(j.request.year, j.request.name) for j in jobs} >= {(y, "overview") for y in years}
    assert {j.request.year for j in jobs} == set(years)


def test_the_overviews_are_rendered_first_and_the_provinces_in_plan_order(shipped):
    """An overview is about twice a province report's work: planned last, it kept one worker busy while the
    others had nothing left to render."""
    from cchc.batch.jobs import running_order

    jobs, _ = plan_batch(PLAN, shipped, [2019, 2021])
    order = [(j.request.year, j.request.name) for j in running_order(jobs)]
    assert order[:2] == [(2019, "overview"), (2021, "overview")]
    assert order[2:] == [(j.request.year, j.request.name) for j in jobs if j.request.name != "overview"]
    assert sorted(order) == sorted((j.request.year, j.request.name) for j in jobs)


def test_the_progress_line_says_done_of_total_the_rate_and_the_time_left():
    assert progress_line(0, 130, 0.0) == "0/130 reports"
    assert progress_line(10, 130, 120.0) == "10/130 reports, 5.0 reports/min, about 24 min left"
    assert progress_line(10, 1300, 120.0, failed=2) == (
        "10/1300 reports (2 failed), 5.0 reports/min, about 4 h 18 min left"
    )
    assert progress_line(129, 130, 600.0).endswith(", under a minute left")
    assert progress_line(130, 130, 600.0) == "130/130 reports, 13.0 reports/min, done"


class _Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_without_a_terminal_the_progress_is_a_plain_line_per_report():
    out, clock = io.StringIO(), _Clock()
    shown = Progress(3, out, clock=clock)
    for name, status in (("dak-nong", "ok"), ("ninh-binh", "failed"), ("overview", "ok")):
        clock.now += 30
        shown.step(2021, name, status)
    shown.close()
    assert out.getvalue().splitlines() == [
        "1/3 reports, 2.0 reports/min, about 1 min left — 2021 dak-nong: ok",
        "2/3 reports (1 failed), 2.0 reports/min, under a minute left — 2021 ninh-binh: failed",
        "3/3 reports (1 failed), 2.0 reports/min, done — 2021 overview: ok",
    ]


def test_on_a_terminal_the_progress_is_one_line_rewritten_and_off_it_says_nothing():
    term, clock = _Terminal(), _Clock()
    shown = Progress(2, term, clock=clock)
    clock.now = 60
    shown.step(2021, "dak-nong", "ok")
    shown.step(2021, "overview", "ok")
    shown.close()
    assert (
        term.getvalue()
        == "\r\x1b[K1/2 reports, 1.0 reports/min, about 1 min left\r\x1b[K2/2 reports, 2.0 reports/min, done\n"
    )
    quiet = io.StringIO()
    off = Progress(2, quiet, enabled=False)
    off.step(2021, "dak-nong", "ok")
    off.close()
    assert quiet.getvalue() == ""


def test_a_province_written_five_ways_is_one_report_when_the_pool_is_sized(shipped):
    """The pool starts while the batch plans, sized by the reports the file can ask for: Hà Nội written five ways
    is one report (with the overview, two), not five (a one-report batch started two workers)."""
    from dataclasses import replace

    five_ways = replace(PLAN, provinces=("ha-noi", "Hà Nội", "Ha Noi", "TP. Hà Nội", "01"), overview=False)
    assert five_ways.most_reports(2021, shipped.registry) == 1
    assert replace(five_ways, overview=True).most_reports(2021, shipped.registry) == 2
    assert replace(five_ways, provinces=("ha-noi", "no-such-place")).most_reports(2021, shipped.registry) == 2
    after_the_merger = replace(five_ways, provinces=("01", "ha-noi-2025"))  # the code read as that year's unit
    assert after_the_merger.most_reports(2025, shipped.registry) == 1
