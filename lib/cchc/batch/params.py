"""Batch parameters from params/*.yaml: loaded safely, checked by name and type before any kernel starts."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import config
from ..data.schema import YEAR_MAX, YEAR_MIN
from ..errors import BadInput, Problem
from ..render.notebook import FORMATS, LANGS


@dataclass(frozen=True)
class BatchParams:
    years: tuple[int, ...] | str  # "latest" or explicit years
    provinces: tuple[str, ...] | str  # "all" or names/slugs
    formats: tuple[str, ...]
    lang: str
    overview: bool
    workers: int
    cell_timeout: int
    report_timeout: int
    path: str = ""  # the batch file, for messages that need the data to be found (a province, a year)
    executor: str = "local"  # "local" (this machine's cores) or "dask" (a Dask cluster)
    scheduler: str | None = None  # with executor dask: the scheduler's address; None starts a LocalCluster
    hung_grace: int = 30  # seconds past report_timeout before a worker that gives no answer is killed

    def problem(self, key: str, message: str) -> BadInput:
        """Bad input naming this batch file and one of its keys."""
        return BadInput([Problem(self.path or "params/batch.yaml", None, key, message)])

    def most_reports(self, year: int | None = None, registry=None) -> int | None:
        """How many reports the batch can render at most, as far as the file tells (None: every province). With
        the province ``registry``, a province written several ways ('ha-noi', 'Hà Nội', '01') counts once."""
        if self.provinces == "all":
            return None
        years = 1 if year is not None or self.years == "latest" else len(self.years)
        return years * (len({_meant(name, registry, year) for name in self.provinces}) + self.overview)


def _meant(name, registry, year: int | None) -> str:
    """The slug of the province ``name`` means in ``year`` (as ``plan._units`` resolves it), or the name itself
    when it means none (the plan refuses it)."""
    if registry is not None:
        with contextlib.suppress(Exception):
            return registry.resolve(name, year).slug
    return str(name)


MAX_WORKERS = 256  # more is a typing slip, not a machine: the pool is also capped by cores and memory
# A worker, its kernel and its browser, rendering a report with charts and a PDF: PSS measured in a batch of
# 2023 (2026-12-07) about 90 MB, 195 MB and 420 MB (Chromium's processes and Playwright's driver).
WORKER_MEMORY = 800 << 20

DEFAULTS = {
    "years": "latest",
    "provinces": "all",
    "formats": list(FORMATS),
    "lang": "vi",
    "overview": True,
    "workers": "auto",
    "cell_timeout": 120,
    "report_timeout": 300,
    "hung_grace": 30,
    "executor": "local",
    "scheduler": None,
}
EXECUTORS = ("local", "dask")
# A Dask scheduler address: protocol://host:port (tcp, or tls for an encrypted cluster; ws/wss/ucx also exist).
SCHEDULER_ADDRESS = re.compile(r"(tcp|tls|ws|wss|ucx)://([^\s/:\[\]]+|\[[0-9a-fA-F:.]+\]):\d{1,5}")


def check_scheduler(address: object) -> str | None:
    """Why ``address`` is not a Dask scheduler address (None when it is one)."""
    if not isinstance(address, str) or not SCHEDULER_ADDRESS.fullmatch(address):
        return "must be a Dask scheduler address such as tcp://10.0.0.5:8786 (or tls://…)"
    return None


MAX_FILE_BYTES = 64 << 10  # a batch file naming every province five ways is under 10 KB
MAX_DEPTH = 8  # a batch file is a mapping of lists (depth 2)
MAX_NODES = 5_000  # values once every alias is expanded (a billion-laughs file expands to 10^9)


def _bounded_yaml(path: Path, rel: str) -> object:
    """The batch file's YAML, read safely only when it is small, shallow and expands to few values: its size,
    nesting and the values its aliases expand to are counted from the parser's events (no recursion, nothing
    expanded) before anything is built; BadInput naming the file and the bound otherwise."""

    def refused(why: str) -> BadInput:
        return BadInput([Problem(rel, None, None, f"{why}: not a batch file a person wrote; refused")])

    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise refused(f"the file is {size >> 10} KB, more than {MAX_FILE_BYTES >> 10} KB")
    text = path.read_text(encoding="utf-8")
    anchors: dict[str, int] = {}
    open_nodes: list[list] = []  # [values inside, anchor] of each open mapping or sequence
    total = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            open_nodes.append([1, event.anchor])
            if len(open_nodes) > MAX_DEPTH:
                raise refused(f"values are nested more than {MAX_DEPTH} deep (line {event.start_mark.line + 1})")
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            count, anchor = open_nodes.pop()
        elif isinstance(event, yaml.AliasEvent):
            count, anchor = anchors.get(event.anchor or "", 1), None
        elif isinstance(event, yaml.ScalarEvent):
            count, anchor = 1, event.anchor
        else:
            continue
        if anchor:
            anchors[anchor] = count
        if open_nodes:
            open_nodes[-1][0] += count
        else:
            total += count
        if total + sum(n[0] for n in open_nodes) > MAX_NODES:
            raise refused(f"its aliases (*name) expand to more than {MAX_NODES} values")
    return yaml.safe_load(text)


def load_batch_params(path: Path | None = None) -> BatchParams:
    """Read and check a batch file; every problem is reported at once with the file and key."""
    given = path is not None
    path = Path(path or config.params_dir() / "batch.yaml")
    rel = str(path)
    if given and not path.is_file():  # a mistyped --params must not run the default (whole) batch
        raise BadInput([Problem(rel, None, None, "batch file not found")])
    try:
        raw = _bounded_yaml(path, rel) if path.exists() else {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise BadInput([Problem(rel, mark.line + 1 if mark else None, None, f"not valid YAML: {e}")]) from None
    except UnicodeDecodeError:
        raise BadInput([Problem(rel, None, None, "not UTF-8 text; save the file as UTF-8")]) from None
    raw = raw or {}
    if not isinstance(raw, dict):
        raise BadInput([Problem(rel, None, None, "expected keys such as 'years:' and 'provinces:'")])
    problems = [Problem(rel, None, k, f"unknown key; allowed: {', '.join(DEFAULTS)}") for k in raw if k not in DEFAULTS]
    values = {**DEFAULTS, **{k: v for k, v in raw.items() if k in DEFAULTS}}

    def bad(key: str, why: str) -> None:
        problems.append(Problem(rel, None, key, f"{why} (got {values[key]!r})"))

    years = values["years"]
    if years != "latest":
        years = [years] if isinstance(years, int) and not isinstance(years, bool) else years
        if not isinstance(years, list) or not all(isinstance(y, int) and not isinstance(y, bool) for y in years):
            bad("years", "must be 'latest' or a list of years such as [2023, 2024]")
        else:
            outside = [y for y in years if not YEAR_MIN <= y <= YEAR_MAX]
            if outside:
                bad(
                    "years",
                    f"{', '.join(map(str, outside))} is outside the years the data can hold ({YEAR_MIN}–{YEAR_MAX})",
                )
            years = tuple(dict.fromkeys(years))  # a year listed twice is rendered once
    provinces = values["provinces"]
    if provinces != "all":
        if not isinstance(provinces, list) or not provinces:
            bad("provinces", "must be 'all' or a list of province names or slugs")
        else:
            for i, p in enumerate(provinces, start=1):
                if isinstance(p, bool) or not isinstance(p, (str, int)):
                    problems.append(
                        Problem(
                            rel,
                            None,
                            "provinces",
                            f"item {i}: {p!r} is not a province name; "
                            "write names, slugs or GSO codes (in quotes if YAML reads them "
                            'as something else, e.g. "yes")',
                        )
                    )
            provinces = tuple(str(p) for p in provinces)
    formats = values["formats"]
    formats = [formats] if isinstance(formats, str) else formats
    if not isinstance(formats, list) or not formats or any(f not in FORMATS for f in formats):
        bad("formats", f"must be a list of {', '.join(FORMATS)}")
    if values["lang"] not in LANGS:
        bad("lang", f"must be one of {', '.join(LANGS)}")
    if not isinstance(values["overview"], bool):
        bad("overview", "must be true or false")
    workers = values["workers"]
    if workers == "auto":
        workers = os.cpu_count() or 1
    elif not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        bad("workers", "must be 'auto' or a positive whole number")
    elif workers > MAX_WORKERS:
        bad(
            "workers",
            f"must be at most {MAX_WORKERS} (the pool is also capped by this machine's "
            f"{os.cpu_count()} cores and its memory); 'auto' uses every core",
        )
    for key in ("cell_timeout", "report_timeout", "hung_grace"):
        v = values[key]
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            bad(key, "must be a positive number of seconds")
    if values["executor"] not in EXECUTORS:
        bad("executor", f"must be one of {', '.join(EXECUTORS)}")
    if values["scheduler"] is not None:
        if (why := check_scheduler(values["scheduler"])) is not None:
            bad("scheduler", why)
        elif values["executor"] != "dask":
            bad("scheduler", "is used only with 'executor: dask'")
    if problems:
        raise BadInput(problems)
    return BatchParams(
        years,
        provinces,
        tuple(formats),
        values["lang"],
        values["overview"],
        workers,
        values["cell_timeout"],
        values["report_timeout"],
        rel,
        values["executor"],
        values["scheduler"],
        values["hung_grace"],
    )


def pool_size(workers: int, reports: int | None = None) -> int:
    """Workers to start: as asked, but no more than the reports, the cores, or what memory holds."""
    try:
        memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        memory = WORKER_MEMORY
    limits = [workers, os.cpu_count() or 1, max(1, memory // WORKER_MEMORY)]
    return max(1, min(limits + ([reports] if reports is not None else [])))
