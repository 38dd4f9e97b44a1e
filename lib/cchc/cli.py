"""The `cchc` command: validate, import, import-geo, template, report, batch, export and bundle.

Each subcommand is a builder ``add_<name>(subparsers)`` that adds its parser and sets ``run`` to a
handler ``(args) -> exit code``. To add a subcommand, write its builder (keep heavy imports inside
the handler, so `cchc validate` stays fast) and list it in SUBCOMMANDS: one line.
"""

from __future__ import annotations

import argparse
import contextlib
import faulthandler
import os
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from .catalogue import LANGS
from .errors import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, CantWrite, CchcError, UsageError, escaped
from .fingerprint import SUITE_VERSION

Builder = Callable[[argparse._SubParsersAction], None]


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors exit with EXIT_USAGE (64), not 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message}\n{self.format_usage().rstrip()}")


def add_validate(sub: argparse._SubParsersAction) -> None:
    """`cchc validate [--data DIR]`: print every problem in the data files."""
    p = sub.add_parser(
        "validate",
        help="check every data file and print all problems",
        description="Check every data file; print each problem with file, row and column.",
    )
    p.add_argument("--data", type=Path, help="data folder (default: data/ or $CCHC_DATA_DIR)")
    p.set_defaults(run=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    """Print every problem and a summary; EXIT_BAD_INPUT when any is an error."""
    from . import config
    from .data.validate import check_dir, errors
    from .files import folder_lock

    data_dir = args.data or config.data_dir()
    if not data_dir.is_dir():
        raise UsageError(f"data folder not found: {data_dir}")
    with folder_lock(data_dir, shared=True):  # an import's files all at once; one stopped half-way finished first
        _, problems, files = check_dir(data_dir)
    problems.sort(key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
    for problem in problems:
        print(problem)
    n_errors = len(errors(problems))
    print(
        f"{data_dir}: {len(files)} data files checked, {n_errors} error(s), "
        f"{len(problems) - n_errors} warning(s)" + (" — fix the errors above" if n_errors else " — OK")
    )
    return EXIT_BAD_INPUT if n_errors else EXIT_OK


def add_import(sub: argparse._SubParsersAction) -> None:
    """`cchc import FILE [--table T] [--into DIR] [--source S] [--year Y] [--index I] [--prefer P] [--dry-run]`."""
    from .data.importplan import POLICIES
    from .data.indices import codes
    from .data.schema import TABLES_BY_NAME

    p = sub.add_parser(
        "import",
        help="add the rows of an Excel template or a publisher's own file to the data",
        description="Read a filled template (.xlsx) or a publisher's own file (VCCI PCI workbook "
        ".xls/.xlsx, PAPI data workbook, province-year fact table .csv, the ministry's "
        "PAR INDEX / SIPAS table copied into a sheet or a text file), check its rows "
        "with the existing data and, only if there is no error, add them to the CSV "
        "files. A second import of the same file changes nothing.",
    )
    p.add_argument("xlsx", type=Path, metavar="FILE", help="the file to import")
    p.add_argument("--table", choices=sorted(TABLES_BY_NAME), help="table of a template (default: guessed)")
    p.add_argument("--into", type=Path, help="data folder (default: data/ or $CCHC_DATA_DIR)")
    p.add_argument(
        "--source",
        help="the publication the whole file comes from: publisher, title, year, URL "
        "({year} is filled in); default: the publisher's own for PCI and PAPI; for the "
        "ministry's official table, the document's number and date (required)",
    )
    p.add_argument("--year", type=int, help="results year of a one-year file (default: from its name)")
    p.add_argument(
        "--index",
        choices=codes(),
        help="index of a fact table or of the ministry's official table (default: told by its columns)",
    )
    p.add_argument(
        "--prefer",
        choices=POLICIES,
        help="when this file and data/ disagree: use the file's "
        "figure (publisher), keep the one used (existing), or "
        "decide by the written rule of data/README.md (rule)",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="show what would be added, merged and flagged; change nothing"
    )
    p.add_argument(
        "--include-hidden",
        action="store_true",
        help="read the sheets' hidden rows and columns too (default: a file hiding values is refused)",
    )
    p.set_defaults(run=run_import)


def run_import(args: argparse.Namespace) -> int:
    """Import the rows (or plan them with --dry-run), then print the warnings and what happened."""
    from . import config
    from .data.importer import import_file

    result = import_file(
        args.xlsx,
        table=args.table,
        data_dir=args.into or config.data_dir(),
        source=args.source,
        year=args.year,
        index=args.index,
        prefer=args.prefer,
        dry_run=args.dry_run,
        include_hidden=args.include_hidden,
    )
    for problem in result.warnings:
        print(problem)
    would = "would add" if result.dry_run else "added"
    if result.plan is not None:
        for row, what in result.plan.flagged:
            print(escaped(f"flagged: {row['file']}, row {row['row']}: {what}"))
        for row, what in result.plan.merged:
            print(escaped(f"merged: {row['file']}, row {row['row']}: {what}"))
        print(
            f"{result.layout}: {len(result.plan.added)} row(s) to add, {len(result.plan.unchanged)} already in "
            f"the data (unchanged), {len(result.plan.merged)} merged, {len(result.plan.flagged)} flagged"
        )
    for rel, count in result.added.items():
        print(f"{would} {count} row(s) to {rel}")
    for rel, count in result.edited.items():
        print(f"{'would change' if result.dry_run else 'changed'} {count} existing row(s) of {rel}")
    if result.dry_run:
        print("dry run: nothing was written")
    elif not result.added and not result.edited:
        print("nothing to add: every figure of this file is already in the data")
    return EXIT_OK


def add_import_geo(sub: argparse._SubParsersAction) -> None:
    """`cchc import-geo PATH [--into DIR]`: bring geoBoundaries' province boundaries into data/geo/."""
    p = sub.add_parser(
        "import-geo",
        help="bring geoBoundaries' province boundaries of Vietnam into data/geo/ for the maps",
        description="Convert geoBoundaries' ADM1 GeoJSON of Vietnam (the file, or the folder holding "
        "geoBoundaries-VNM-ADM1_simplified.geojson) into data/geo/boundaries.geojson: names matched to the "
        "registry, Côn Đảo joined to Bà Rịa - Vũng Tàu, the 34 units of 2025 dissolved from the 63 provinces "
        "along the registry's merger table, simplified for A4 and a phone. Running it again writes the same bytes.",
    )
    p.add_argument("source", type=Path, metavar="PATH", help="geoBoundaries' GeoJSON file or its folder")
    p.add_argument("--into", type=Path, help="data folder (default: data/ or $CCHC_DATA_DIR)")
    p.set_defaults(run=run_import_geo)


def run_import_geo(args: argparse.Namespace) -> int:
    from . import config
    from .data.geo import import_boundaries

    if not args.source.exists():
        raise UsageError(f"not found: {args.source}")
    target = import_boundaries(args.source, args.into or config.data_dir())
    print(f"wrote {target} ({target.stat().st_size // 1024} KB)")
    return EXIT_OK


def add_template(sub: argparse._SubParsersAction) -> None:
    """`cchc template TABLE [-o FILE]`: write an Excel template for a table."""
    from .data.schema import TABLES_BY_NAME

    p = sub.add_parser(
        "template",
        help="write an Excel template for a table",
        description="Write an .xlsx template: the columns of a table, and a sheet "
        "'Hướng dẫn' explaining each column and its allowed values.",
    )
    p.add_argument("table", choices=sorted(TABLES_BY_NAME))
    p.add_argument("-o", "--output", type=Path, help="output file (default: <table>.xlsx)")
    p.set_defaults(run=run_template)


def run_template(args: argparse.Namespace) -> int:
    """Write the template and say where."""
    from .data.importer import write_template

    path = write_template(args.table, args.output or Path(f"{args.table}.xlsx"))
    print(f"wrote {path}")
    return EXIT_OK


def add_report(sub: argparse._SubParsersAction) -> None:
    """`cchc report --province P --year Y [--lang en] [--format html,pdf]`: one report."""
    p = sub.add_parser(
        "report",
        help="render one province's report (or the national overview)",
        description="Execute the report notebook for one province and year and write "
        "reports/<year>/<slug>.html and .pdf (the executed notebook is kept).",
    )
    p.add_argument("--province", required=True, help='name, slug or old GSO code, or "overview"')
    p.add_argument("--year", required=True, help="results year")
    p.add_argument("--lang", default="vi", help="vi (default) or en")
    p.add_argument("--format", default="html,pdf", help="html, pdf or html,pdf (default)")
    p.add_argument("--out", type=Path, help="reports folder (default: reports/ or $CCHC_REPORTS_DIR)")
    p.set_defaults(run=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Check the parameters (before any kernel starts), render, print the files written. The data are read as a
    batch reads them: a snapshot of data/, checked once (through the dataset cache) in this process, and
    handed to the kernel as the batch's checked copy, instead of checked again there."""
    from . import config
    from .batch.runner import data_snapshot
    from .data.dataset import load_dataset, save_batch_copy
    from .render import notebook as render

    render.check_options(args.lang, args.format, args.year)  # refused before the data are read
    with data_snapshot() as source:
        ds = load_dataset(cache=source is not None, copy_of=source)
        if args.province == "overview":
            req = render.plan_overview(args.year, args.lang, args.format, dataset=ds)
        else:
            req = render.plan_report(args.province, args.year, args.lang, args.format, dataset=ds)
        from .kernels import warm as warm_kernel  # Jupyter's client, imported once the parameters are good

        save_batch_copy(ds)
        warm_kernel.enable_from_env()  # CCHC_WARM_KERNELS=1: fork the kernel from a warm process
        out = args.out or config.reports_dir()
        with _stderr_to(out / ".kernels.log"):  # the kernel's own log lines are not the user's to read
            paths = render.render_report(req, out)
    for path in paths.values():
        print(f"wrote {path}")
    return EXIT_OK


@contextlib.contextmanager
def _stderr_to(log: Path):
    """Send what this process and the processes it starts print on stderr to ``log`` (appended), as a
    batch does; keep stderr when the log cannot be opened (the render then reports the real problem)."""
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    except OSError:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(fd, 2)
    os.close(fd)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def add_batch(sub: argparse._SubParsersAction) -> None:
    """`cchc batch [--year Y] [--params FILE]`: the annual batch planned in params/."""
    p = sub.add_parser(
        "batch",
        help="render the batch planned in params/ (only what changed)",
        description="Render one report per province and year plus the national overview, "
        "on all cores, re-rendering only what changed; write reports/<year>/index.html "
        "(index.en.html in English).",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument("--year", type=int, help="results year (default: params/batch.yaml, else the latest with data)")
    which.add_argument(
        "--years",
        type=_years_arg,
        metavar="YEARS",
        help="several years in one batch: a range (2005-2025: the years in it with figures), a list "
        "(2021,2023) or all (every year with figures)",
    )
    p.add_argument("--params", type=Path, help="batch file (default: params/batch.yaml)")
    p.add_argument("--out", type=Path, help="reports folder (default: reports/ or $CCHC_REPORTS_DIR)")
    p.add_argument("--no-progress", action="store_true", help="no progress line")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="render on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786 or tls://…); "
        "overrides 'executor:' and 'scheduler:' in the batch file",
    )
    p.set_defaults(run=run_batch)


def _years_arg(text: str):
    """--years parsed; argparse names the argument in the error ("argument --years: …")."""
    from .batch.years import parse_years

    try:
        return parse_years(text)
    except UsageError as e:
        raise argparse.ArgumentTypeError(str(e).removeprefix("--years").lstrip(": ")) from None


def run_batch(args: argparse.Namespace) -> int:
    from . import config
    from .batch import stamp as batch_stamp
    from .batch.params import check_scheduler

    if args.scheduler is not None and (why := check_scheduler(args.scheduler)) is not None:
        raise UsageError(f"--scheduler {why} (got {args.scheduler!r})")

    asked = args.years.text if args.years is not None else args.year
    up_to_date = batch_stamp.nothing_to_do(args.params, asked, args.out or config.reports_dir())
    if up_to_date:  # answered without loading the data: see batch_stamp
        print(up_to_date)
        return EXIT_OK
    from .batch.runner import run_batch as run

    return run(
        args.params, args.year, args.out, progress=not args.no_progress, scheduler=args.scheduler, years=args.years
    )


def add_export(sub: argparse._SubParsersAction) -> None:
    """`cchc export --province P --year Y [--out DIR]`: the figures behind a report, as CSV and XLSX."""
    p = sub.add_parser(
        "export",
        help="write the figures behind a report as CSV and XLSX",
        description="Write <slug>-<year>-figures.csv and .xlsx: the index figures, TTHC rows, "
        "rankings and targets a report is made from, with their sources (the XLSX: a sheet "
        "per table headed in --lang, and the sources); text that a spreadsheet would run "
        "as a formula is neutralised.",
    )
    p.add_argument("--province", required=True, help="name, slug or old GSO code")
    p.add_argument("--year", required=True, help="results year")
    p.add_argument("--out", type=Path, help="output folder (default: reports/<year>/)")
    p.add_argument("--lang", default="vi", help="language of the XLSX headers and words: vi (default) or en")
    p.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    """Write the files; the data are read through the disk cache (``cchc.load()``'s): unchanged data are not
    checked again. A year the data cannot hold is refused before they are read."""
    from .analysis.export import export_figures
    from .analysis.years import results_year
    from .data.dataset import load_dataset

    year = results_year(args.year)
    ds = load_dataset(cache=True)
    for path in export_figures(args.province, year, args.out, dataset=ds, lang=args.lang).values():
        print(f"wrote {path}")
    return EXIT_OK


def add_bundle(sub: argparse._SubParsersAction) -> None:
    """`cchc bundle --province P [--year Y] [--lang vi|en] [--out FILE]`: a province's reports as one zip."""
    p = sub.add_parser(
        "bundle",
        help="one zip of a province's reports of every year, to send by e-mail",
        description="Write reports/bundles/<slug>.zip: the province's rendered reports of every year "
        "(HTML and PDF; a unit formed in 2025 with its predecessors' reports) and a short README "
        "in Vietnamese. The same reports give the same bytes.",
    )
    p.add_argument("--province", required=True, help="name, slug or old GSO code")
    p.add_argument("--year", type=int, help="the year whose unit is meant (2025 on: the 34 new units)")
    p.add_argument("--lang", default="vi", choices=LANGS, help="the reports' language (default vi)")
    p.add_argument("--reports", type=Path, help="reports folder (default: reports/ or $CCHC_REPORTS_DIR)")
    p.add_argument("--out", type=Path, help="the zip to write (default: <reports>/bundles/<slug>.zip)")
    p.set_defaults(run=run_bundle)


def run_bundle(args: argparse.Namespace) -> int:
    from .batch.bundle import write_bundle

    print(f"wrote {write_bundle(args.province, args.year, args.lang, args.reports, args.out)}")
    return EXIT_OK


def add_check_reports(sub: argparse._SubParsersAction) -> None:
    """`cchc check-reports YEAR… [--lang vi,en] [--province P…] [--jobs N]`: the report checker."""
    p = sub.add_parser(
        "check-reports",
        help="check what every report of the given years says against its data",
        description="Build every report of each year (every province that can report, and the "
        "overview) as its notebook does, and check it against the rules of "
        "cchc.report.check: ranks out of the year's number ranked, regions, lines "
        "across scales or gaps, stale components, gaps as printed, computed ties, "
        "TTHC scope, and code or the other language in reader text. Prints each "
        "violation with report, section and reason; exit 1 when any.",
    )
    p.add_argument("years", nargs="+", type=int, metavar="YEAR", help="results years")
    p.add_argument("--lang", default="vi,en", help="languages, comma-separated (default: vi,en)")
    p.add_argument("--province", action="append", help="only this province (name or slug; repeatable)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)")
    p.add_argument("--data", type=Path, help="data folder (default: data/ or $CCHC_DATA_DIR)")
    p.add_argument(
        "--rendered",
        type=Path,
        metavar="DIR",
        help="also lay out for A4 every report already rendered in DIR/<year>/ (the reports folder) "
        "and fail on anything past the page margin",
    )
    p.set_defaults(run=run_check_reports)


def run_check_reports(args: argparse.Namespace) -> int:
    from .data.dataset import load_dataset
    from .errors import EXIT_FAILED
    from .report.check import check_years

    langs = [lang.strip() for lang in args.lang.split(",") if lang.strip()]
    if not langs or any(lang not in LANGS for lang in langs):
        raise UsageError(f"--lang takes vi and/or en (got {args.lang!r})")
    ds = load_dataset(args.data, cache=True)  # unchanged data are not checked again (the disk cache)
    provinces = None
    if args.province:
        provinces = [ds.registry.resolve(name, year).slug for name in args.province for year in args.years[:1]]

    checked = [0]

    def progress(done: int, total: int) -> None:
        checked[0] = done
        if sys.stderr.isatty():
            print(f"\r{done}/{total} reports checked", end="", file=sys.stderr, flush=True)

    found = check_years(ds, args.years, langs, provinces, processes=max(1, args.jobs), progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if args.rendered is not None:
        found += _rendered_past_margin(args.rendered, args.years)
    for v in found:
        print(v)
    reports = {v.report for v in found}
    print(
        f"check-reports {' '.join(map(str, args.years))} ({', '.join(langs)}): {len(found)} violation(s) in "
        f"{len(reports)} of {checked[0]} report(s) checked" + ("" if found else " — OK")
    )
    return EXIT_FAILED if found else EXIT_OK


def _rendered_past_margin(reports: Path, years: list[int]) -> list:
    """Every rendered report of the years laid out for A4: what reaches past the right margin."""
    from .render.pdf import boxes_past_the_margin
    from .report.check import Violation

    found = []
    for year in years:
        for html in sorted((reports / str(year)).glob("*.html")):
            if html.name.startswith("index."):
                continue
            slug, _, lang = html.stem.partition(".")
            for problem in boxes_past_the_margin(html.read_text(encoding="utf-8")):
                found.append(Violation(f"{slug} {year} {lang or 'vi'}", "pdf", "a4_margin", problem))
    return found


# Registration point: one builder per subcommand.
SUBCOMMANDS: list[Builder] = [
    add_validate,
    add_import,
    add_import_geo,
    add_template,
    add_report,
    add_batch,
    add_export,
    add_bundle,
    add_check_reports,
]


def build_parser() -> argparse.ArgumentParser:
    """The parser with every subcommand of SUBCOMMANDS."""
    parser = _Parser(prog="cchc", description="Reports on administrative reform (CCHC) of Vietnam's provinces.")
    parser.add_argument("--version", action="version", version=f"cchc {SUITE_VERSION}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for builder in SUBCOMMANDS:
        builder(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; never a bare traceback: user errors say what to do, bugs say how to report.
    ``kill -USR1 <pid>`` prints where each of its threads is on its stderr and lets it go on (a batch that
    seems stuck: its workers inherit it, and print into the batch's .kernels.log)."""
    with contextlib.suppress(AttributeError, ValueError, OSError):  # stderr not a file (main called in a test)
        faulthandler.register(signal.SIGUSR1, file=sys.stderr.fileno(), all_threads=True)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "run", None):
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        return args.run(args)
    except CchcError as exc:
        print(f"cchc: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:  # its text, when given, says what state the files are in
        print("cchc: interrupted" + (f"; {exc}" if str(exc) else ""), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # output piped into a command that stopped reading (e.g. `| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        if _is_write_error(exc):
            print(f"cchc: cannot write {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
            return CantWrite.exit_code
        return _internal_error(exc)
    except Exception as exc:
        return _internal_error(exc)


def _is_write_error(exc: OSError) -> bool:
    """True for a read-only or full disk: the user can fix that."""
    import errno

    return exc.errno in (errno.EACCES, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EPERM)


def _internal_error(exc: BaseException) -> int:
    """Report a bug in one line (the traceback with CCHC_DEBUG=1) and return EXIT_INTERNAL."""
    if os.environ.get("CCHC_DEBUG") == "1":
        traceback.print_exc()
    print(
        f"cchc: internal error: {type(exc).__name__}: {exc}\n"
        "This is a bug in the suite, not in your data. Run again with CCHC_DEBUG=1 to see the "
        "traceback, and report it.",
        file=sys.stderr,
    )
    return EXIT_INTERNAL
