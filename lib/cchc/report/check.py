"""The report checker: every report the suite would render, built section by section exactly as its
notebook builds it, and checked against what must be true of that province, year and language.

It reads the sections' own data (``Section.tables``, ``figures``, the words of each block), never scraped
HTML. Each rule is a function ``(report, sections) -> violations``, listed in ``RULES``; to add a check,
write one and list it (the rule's docstring is its reason, printed with each violation)::

    from cchc.report import check
    problems = check.check_report(ds, "ha-noi", 2023, "vi")
    problems = check.check_years(ds, [2012, 2019, 2024], langs=("vi", "en"))   # every province, overview
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from .. import config
from ..data.indices import record
from ..data.provinces import generation_for_year
from .output import Section
from .text_checks import reader_text_problems

if TYPE_CHECKING:
    from ..data.dataset import Dataset

OVERVIEW = "overview"


@dataclass(frozen=True, order=True)
class Violation:
    """One thing a report says that is not so: which report, which section, which rule, what exactly."""

    report: str  # "ha-noi 2023 vi"
    section: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.report} · {self.section} · {self.rule}: {self.detail}"


@dataclass
class Report:
    """What a rule knows about the report it checks."""

    ds: Dataset
    slug: str  # a province slug, or "overview"
    year: int
    lang: str

    @property
    def label(self) -> str:
        return f"{self.slug} {self.year} {self.lang}"

    def violation(self, section: Section | str, rule: Callable, detail: str) -> Violation:
        name = section if isinstance(section, str) else section.name
        return Violation(self.label, name, rule.__name__.removeprefix("rule_"), detail)


# ------------------------------------------------------------------ building a report's sections
@lru_cache(maxsize=4)
def section_names(notebook: str) -> tuple[str, ...]:
    """The section functions a notebook calls, in order (``sections.summary(ctx)`` -> 'summary')."""
    nb = json.loads((config.notebooks_dir() / notebook).read_text(encoding="utf-8"))
    pattern = re.compile(r"\b(?:sections|overview)\.(\w+)\(ctx\)")
    return tuple(
        name
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
        for name in pattern.findall("".join(cell["source"]))
        if name != "context"
    )


def build_sections(ds: Dataset, slug: str, year: int, lang: str) -> list[Section]:
    """Every section of one report (a province's, or the year's overview), as the notebook builds them."""
    from . import overview, sections

    module: object
    ctx: object
    if slug == OVERVIEW:
        module, ctx = overview, overview.context(year, lang, dataset=ds)
        names = section_names("national_overview.ipynb")
    else:
        module, ctx = sections, sections.context(slug, year, lang, dataset=ds)
        names = section_names("province_report.ipynb")
    built = []
    for name in names:
        s = getattr(module, name)(ctx)
        s.name = name
        built.append(s)
    return built


def reports_of_year(ds: Dataset, year: int) -> list[str]:
    """The reports a batch of ``year`` renders: every unit that can report that year, and the overview."""
    from ..analysis.metrics import can_report

    return [*(p.slug for p in ds.registry if can_report(ds, p, year)), OVERVIEW]


# ------------------------------------------------------------------ the words a reader sees
def reader_texts(s: Section) -> Iterator[str]:
    """Every piece of text the section shows a reader: sentences, headings, table cells and headers,
    captions, chart titles, labels, legends and annotations. Links (source URLs) are left out."""
    yield from s.sentences
    for b in s._blocks:
        kind = b["kind"]
        if kind in ("h1", "h3", "footer"):
            yield b["text"]
        elif kind == "table":
            if b.get("caption"):
                yield b["caption"]
            yield from (h["text"] for h in b["head"])
            for row in b["rows"]:
                yield from (c["text"] for c in row if c.get("kind") in ("text", "badge") and not c.get("href"))
        elif kind == "chart":
            yield b["alt"]
    for fig in s.figures:
        yield from chart_texts(fig)


def chart_texts(fig) -> Iterator[str]:
    """The words drawn on a chart (titles, axis labels, legend entries, annotations; not tick numbers)."""
    for t in fig.texts:
        yield t.get_text()
    for legend in fig.legends:
        yield from (t.get_text() for t in legend.get_texts())
    for ax in fig.axes:
        yield from (ax.get_title(loc) for loc in ("left", "center", "right"))
        yield ax.get_xlabel()
        yield ax.get_ylabel()
        yield from (t.get_text() for t in ax.texts)
        if ax.get_legend() is not None:
            yield from (t.get_text() for t in ax.get_legend().get_texts())
        yield from (t.get_text() for t in ax.get_yticklabels() if not _numeric(t.get_text()))


def _numeric(words: str) -> bool:
    return bool(re.fullmatch(r"[\s\d.,−+\-%/=]*", words))


# ------------------------------------------------------------------ facts the rules compare with
_COUNTS: dict[int, dict] = {}


def _ranked_counts(ds: Dataset, index: str, year: int, component: str, generation: int) -> frozenset[int]:
    """The numbers of units ranked in the year's table of an index (or component), for one generation."""
    if id(ds) not in _COUNTS:
        f = ds.figures.dropna(subset=["rank_of"])
        gen = {p.slug: p.generation for p in ds.registry}
        keys = zip(f["index"], f["year"], f["component"].fillna(""), f["province"].map(gen), f["rank_of"])
        table: dict[tuple, set[int]] = {}
        for i, y, c, g, n in keys:
            table.setdefault((i, int(y), c, g), set()).add(int(n))
        _COUNTS.clear()
        _COUNTS[id(ds)] = {k: frozenset(v) for k, v in table.items()}
    return _COUNTS[id(ds)].get((index, year, component, generation), frozenset())


def _generation_of(ds: Dataset, slug) -> int | None:
    try:
        return ds.registry.get(slug).generation
    except Exception:
        return None


def _missing(x) -> bool:
    return x is None or (not isinstance(x, str) and bool(pd.isna(x)))


# ------------------------------------------------------------------ the rules
def rule_rank_denominator(r: Report, sections: list[Section]) -> Iterator[Violation]:
    """A rank k/n whose n is not the number of units ranked in that index's table that year."""
    for s in sections:
        for name, t in s.tables.items():
            if not {"index", "year", "rank", "rank_of"} <= set(t.columns):
                continue
            for _, row in t.iterrows():
                if _missing(row["rank_of"]) or _missing(row["year"]) or _missing(row["rank"]):
                    continue
                component = row.get("component", "")
                component = "" if _missing(component) else str(component)
                slug = row.get("province", r.slug)
                gen = _generation_of(r.ds, slug) or generation_for_year(int(row["year"]))
                counts = _ranked_counts(r.ds, str(row["index"]), int(row["year"]), component, gen)
                what = f"{name}: {row['index']} {int(row['year'])}{' ' + component if component else ''}"
                if len(counts) > 1:
                    yield r.violation(
                        s,
                        rule_rank_denominator,
                        f"{what} rank {int(row['rank'])}/"
                        f"{int(row['rank_of'])}: the year's table says "
                        f"{' and '.join(map(str, sorted(counts)))} were ranked",
                    )
                elif counts and int(row["rank_of"]) not in counts:
                    yield r.violation(
                        s,
                        rule_rank_denominator,
                        f"{what} rank {int(row['rank'])}/{int(row['rank_of'])}, but {min(counts)} were ranked",
                    )
                if int(row["rank"]) > int(row["rank_of"]):
                    yield r.violation(
                        s, rule_rank_denominator, f"{what} rank {int(row['rank'])} beyond {int(row['rank_of'])}"
                    )


def _ranks_known(ds: Dataset) -> dict[tuple, list[tuple[str, int, int]]]:
    """The national ranks in the data, by (index, year, generation): (slug, best, worst place) — a range of
    places where equal printed scores leave the order open."""
    f = ds.figures[ds.figures["component"].fillna("") == ""].dropna(subset=["rank"])
    high = f["rank_high"] if "rank_high" in f.columns else f["rank"]
    gen = {p.slug: p.generation for p in ds.registry}
    known: dict[tuple, list[tuple[str, int, int]]] = {}
    for i, y, slug, low, hi in zip(f["index"], f["year"], f["province"], f["rank"], high):
        known.setdefault((i, int(y), gen.get(slug)), []).append((slug, int(low), int(low if pd.isna(hi) else hi)))
    return known


def region_rank_bounds(ds: Dataset, row, slug: str) -> tuple[int, int] | None:
    """The places in its region a unit can hold, from the national ranks the data hold: the region's units
    certainly above it (worst place above its best) and possibly above it (a range that overlaps), and the
    unranked ones, which stand above it as far as free better places allow and must stand above it when too
    few worse places are free. None when every unit of the region has a rank.

    Worked out here apart from ``analysis.position.region_rank_bounds`` on purpose: a check that called the
    code it checks could never fail."""
    unit = ds.registry.get(slug)
    gen = unit.generation
    ranks = _memo(ds, "ranks_known", _ranks_known).get((row["index"], int(row["year"]), gen), [])
    region = {p.slug for p in ds.registry if p.generation == gen and p.region == unit.region}
    own_low = int(row["rank"])
    own_high = own_low if _missing(row.get("rank_high")) else int(row["rank_high"])
    n = int(row["rank_of"])
    others = [(s, lo, hi) for s, lo, hi in ranks if s != slug]
    peers = [(lo, hi) for s, lo, hi in others if s in region]
    year = int(row["year"])
    left_out = {s for (s, i), years in ds.unpublished_years.items() if i == row["index"] and year in years}
    rec = record(row["index"])  # units ranked that the registry does not hold (Hà Tây) are peers too
    outside = [r for _, r in rec.ranked_unregistered.get(year, ())] if rec and gen == generation_for_year(year) else []
    unranked = len(region - left_out) + outside.count(unit.region) - 1 - len(peers)
    certain = sum(1 for lo, hi in peers if hi < own_low)
    possible = sum(1 for lo, hi in peers if lo < own_high)
    if unranked <= 0:
        return (1 + certain, 1 + possible) if possible != certain else None
    free_better = max(0, own_high - 1 - sum(1 for _, lo, hi in others if hi < own_high))
    free_worse = max(0, n - own_low - sum(1 for _, lo, hi in others if lo > own_low))
    return 1 + certain + max(0, unranked - free_worse), 1 + possible + min(unranked, free_better)


def rule_region(r: Report, sections: list[Section]) -> Iterator[Violation]:
    """A unit without a region, an empty region, or a rank in a partly ranked region stated more precisely
    than the data allow (``region_rank_bounds``)."""
    for s in sections:
        t = s.tables.get("position")
        if t is None:
            continue
        for _, row in t.iterrows():
            what = f"{row['index']} {int(row['year'])}"
            if _missing(row.get("region")) or not str(row.get("region")).strip():
                yield r.violation(s, rule_region, f"{what}: the unit has no region")
                continue
            size = row.get("region_size")
            if not _missing(size) and int(size) == 0:
                yield r.violation(s, rule_region, f"{what}: region of 0 units")
            if _missing(row.get("rank")) or _missing(row.get("rank_of")) or r.slug == OVERVIEW:
                continue
            bounds = region_rank_bounds(r.ds, row, r.slug)
            if bounds is None:
                continue
            low, high = row.get("rank_in_region_low"), row.get("rank_in_region_high")
            if _missing(low) or _missing(high) or int(low) > bounds[0] or int(high) < bounds[1]:
                shown = "?" if _missing(low) else f"{int(low)}" + ("" if int(low) == int(high) else f"–{int(high)}")
                yield r.violation(
                    s, rule_region, f"{what}: rank {shown} in its region, but the data allow {bounds[0]}–{bounds[1]}"
                )
    for s in sections:
        for words in s.sentences:
            if re.search(r"\b\d+/0\b|(trong vùng|in its region|in the region)\s+[.,;)]", words):
                yield r.violation(s, rule_region, f"empty region in: {words[:120]}")


def rule_chart_lines(r: Report, sections: list[Section]) -> Iterator[Violation]:
    """A line joining two scales, two methods, or years with a gap between them."""
    from ..analysis.metrics import breaks_between

    for s in sections:
        for k, fig in enumerate(s.figures, start=1):
            for ax in fig.axes:
                units = set()
                for line in ax.get_lines():
                    x = [float(v) for v in line.get_xdata()]
                    gid = line.get_gid() or ""
                    if not gid.startswith("series:") or len(x) < 1:
                        continue
                    _, index, unit = gid.split(":", 2)
                    units.add(unit)
                    if len(x) < 2:
                        continue
                    years = [int(round(v)) for v in x]
                    steps = [b - a for a, b in zip(years, years[1:])]
                    if any(step != 1 for step in steps):
                        yield r.violation(
                            s,
                            rule_chart_lines,
                            f"chart {k}: a {index} line joins {_gap_pairs(years, steps)} across missing years",
                        )
                    crossed = breaks_between(index, years[0], years[-1]) if index else []
                    if crossed:
                        yield r.violation(
                            s,
                            rule_chart_lines,
                            f"chart {k}: a {index} line crosses the method change of {', '.join(map(str, crossed))}",
                        )
                scales = {u for u in units if not u.startswith("rank")}
                title = " ".join(ax.get_title(loc) for loc in ("left", "center", "right")) + ax.get_ylabel()
                if len(scales) > 1 and not all(_scale_named(u, title) for u in scales):
                    yield r.violation(
                        s,
                        rule_chart_lines,
                        f"chart {k}: one axis holds {sorted(scales)} and its "
                        f"title ({title.strip()!r}) does not name each scale",
                    )


def _scale_named(unit: str, title: str) -> bool:
    """Whether an axis title names a scale: 'thang 60' / 'out of 60' for points/60, '%' for %."""
    token = unit.rsplit("/", 1)[-1] if "/" in unit else unit
    return re.search(rf"(?<![\d.,]){re.escape(token)}(?![\d.,])", title) is not None


def _gap_pairs(years: list[int], steps: list[int]) -> str:
    return ", ".join(f"{a}→{b}" for a, b, st in zip(years, years[1:], steps) if st != 1)


def _printed(x, decimals: int) -> float:
    return float(round(pd.to_numeric(x), decimals))


def rule_gap_printed(r: Report, sections: list[Section]) -> Iterator[Violation]:
    """A gap that differs from the difference of the two figures as printed."""
    pairs = (("gap_national", "national_mean"), ("gap_regional", "regional_mean"), ("gap_best", "best_score"))
    for s in sections:
        t = s.tables.get("position")
        if t is None:
            continue
        for _, row in t.iterrows():
            d = 4 if row.get("unit") == "index 0-1" else 2
            for gap, other in pairs:
                if any(_missing(row.get(c)) for c in (gap, other, "score")):
                    continue
                expected = _printed(row["score"], d) - _printed(row[other], d)
                if not math.isclose(_printed(row[gap], d), round(expected, d), abs_tol=10 ** -(d + 2)):
                    yield r.violation(
                        s,
                        rule_gap_printed,
                        f"{row['index']} {int(row['year'])} {gap} "
                        f"{row[gap]:.{d}f} but {row['score']:.{d}f} − {row[other]:.{d}f} = "
                        f"{expected:.{d}f}",
                    )


def rule_stale_components(r: Report, sections: list[Section]) -> Iterator[Violation]:
    """A component of an earlier year than the report's shown without its year, or one more than two years
    old used by the summary (its table ``parts``, every part it chose from, is not what it uses)."""
    for s in sections:
        for name, t in s.tables.items():
            if not {"component", "year"} <= set(t.columns) or name in ("sources", "history", "predecessors", "parts"):
                continue
            old = t[pd.to_numeric(t["year"], errors="coerce") < r.year]
            for _, row in old.iterrows():
                from ..catalogue import name_in

                shown = name_in("component", str(row["component"]), r.lang)
                said = [w for w in s.sentences if shown in w]
                if said and not any(str(int(row["year"])) in w for w in said):
                    yield r.violation(
                        s,
                        rule_stale_components,
                        f"{shown} ({row.get('index', '')} {int(row['year'])}) named without its year",
                    )
                if s.name == "summary" and int(row["year"]) < r.year - 2:
                    yield r.violation(s, rule_stale_components, f"summary uses {shown} of {int(row['year'])}")


def rule_tthc_scope(r: Report, sections: list[Section]) -> Iterator[Violation]:
    """A TTHC figure without its scope (province, department or district)."""
    for s in sections:
        if s.name != "tthc":
            continue
        for name, t in s.tables.items():
            if t.empty:
                continue
            if "scope" not in t.columns:
                yield r.violation(s, rule_tthc_scope, f"table {name} has no scope column")
            elif t["scope"].map(lambda v: _missing(v) or not str(v).strip()).any():
                yield r.violation(s, rule_tthc_scope, f"table {name} has rows without scope")


def _shared_scores(ds: Dataset) -> dict[tuple, int]:
    """How many units share each printed score, by (index, year, component, generation, score)."""
    f = ds.figures.dropna(subset=["score"])
    gen = {p.slug: p.generation for p in ds.registry}
    counts: dict[tuple, int] = {}
    for i, y, c, slug, score in zip(f["index"], f["year"], f["component"].fillna(""), f["province"], f["score"]):
        key = (i, int(y), c, gen.get(slug), round(float(score), 6))
        counts[key] = counts.get(key, 0) + 1
    return counts


def rule_computed_ties(r: Report, sections: list[Section]) -> Iterator[Violation]:
    """A computed rank given as one place when another unit has the same printed score: the publisher's
    full-precision order may put them apart, so it is a range of places, never a shared or exact rank."""
    shared = _memo(r.ds, "shared_scores", _shared_scores)
    for s in sections:
        for name, t in s.tables.items():
            if not {"rank_computed", "score", "year", "rank"} <= set(t.columns):
                continue
            for _, row in t[t["rank_computed"].fillna(False).astype(bool)].iterrows():
                if _missing(row["score"]) or _missing(row["rank"]):
                    continue
                low, high = row.get("rank_low", row["rank"]), row.get("rank_high", row["rank"])
                if not _missing(low) and not _missing(high) and int(high) > int(low):
                    continue
                index = row.get("index", "")
                component = "" if _missing(row.get("component", "")) else str(row.get("component", ""))
                gen = _generation_of(r.ds, row.get("province", r.slug)) or generation_for_year(int(row["year"]))
                key = (index, int(row["year"]), component, gen, round(float(row["score"]), 6))
                if shared.get(key, 0) > 1:
                    yield r.violation(
                        s,
                        rule_computed_ties,
                        f"{name}: {index} {int(row['year'])} computed rank "
                        f"{int(row['rank'])} shared by {shared[key]} units at {row['score']}",
                    )


_MEMO: dict[tuple[int, str], object] = {}


def _memo(ds: Dataset, what: str, build: Callable):
    """What a rule builds once per dataset (a pattern of names, of slugs)."""
    key = (id(ds), what)
    if key not in _MEMO:
        _MEMO[key] = build(ds)
    return _MEMO[key]


def proper_names(ds: Dataset) -> re.Pattern:
    """Names held in Vietnamese in every language: provinces, the archipelagos, departments and districts,
    agencies, plans, documents and the publications cited (a quoted title is a name too)."""
    from ..data.geo import ARCHIPELAGOS

    names = {p.name for p in ds.registry} | {n for a in ARCHIPELAGOS for n in (a.name, a.short_name)}
    for table, column in (
        ("unit_rankings", "unit"),
        ("tthc", "agency"),
        ("plan_tasks", "agency"),
        ("plan_tasks", "plan"),
        ("targets", "document"),
        ("targets", "description"),
        ("tthc", "source"),  # a publication cited in its own language, wherever a report cites it
        ("plan_tasks", "source"),
        ("unit_rankings", "source"),
        ("targets", "source"),
    ):
        frame = getattr(ds, table)
        if column in frame.columns:
            names |= {str(v) for v in frame[column].dropna() if str(v).strip()}
    ordered = sorted(names, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered)))


def citations(s: Section) -> set[str]:
    """The cells of a section's source columns: a citation names a publication in its own language."""
    from ..catalogue import text

    heads = {text("label.source", lang) for lang in ("vi", "en")}
    cited = set()
    for b in s._blocks:
        if b["kind"] == "table":
            at = [i for i, h in enumerate(b["head"]) if h["text"] in heads]
            cited |= {row[i].get("text", "") for row in b["rows"] for i in at if i < len(row)}
    return cited


def rule_reader_text(r: Report, sections: list[Section]) -> Iterator[Violation]:
    """Code, slugs, paths, hashes, parameters, odd punctuation or the other language in what a reader sees
    (``text_checks.reader_text_problems``; a citation in a source column may be in the publication's own
    language)."""
    slugs = _memo(r.ds, "slugs", lambda ds: frozenset(p.slug for p in ds.registry if "-" in p.slug))
    names = _memo(r.ds, "names", proper_names)
    for s in sections:
        told = set()
        cited = citations(s)
        for words in reader_texts(s):
            if not words or words in told:
                continue
            told.add(words)
            for why in reader_text_problems(words, r.lang, names, slugs=slugs, citation=words in cited):
                yield r.violation(s, rule_reader_text, f"{why} in {words[:140]!r}")


def rule_leader_is_self(r: Report, sections: list[Section]) -> Iterator[Violation]:
    """The province compared with 'the leader' when it is the leader itself."""
    for s in sections:
        t = s.tables.get("position")
        if t is None or "best_province" not in t.columns:
            continue
        for _, row in t.iterrows():
            if row.get("best_province") == r.slug and not _missing(row.get("gap_best")) and row["gap_best"] != 0:
                yield r.violation(
                    s, rule_leader_is_self, f"{row['index']}: leader is the unit itself, gap {row['gap_best']}"
                )


def rule_half(r: Report, sections: list[Section]) -> Iterator[Violation]:
    """A part called a strength (the upper half of the country) or an area to improve (the lower half) when
    some place its rank spans is not in that half (equal printed scores share places: 30–32/63)."""
    for s in sections:
        for t in s.tables.values():
            if not {"side", "half", "rank", "rank_of"} <= set(t.columns):
                continue
            for _, row in t.iterrows():
                if _missing(row["rank"]) or _missing(row["rank_of"]) or int(row["rank_of"]) < 2:
                    continue
                n, best = int(row["rank_of"]), int(row["rank"])
                worst = best if _missing(row.get("rank_high")) else int(row["rank_high"])
                upper, lower = 2 * (n - worst) > n - 1, 2 * (n - best) < n - 1  # every place ahead of over / under half
                said = {("strength", "upper"): upper, ("weakness", "lower"): lower}.get((row["side"], row["half"]))
                if said is False:
                    yield r.violation(
                        s,
                        rule_half,
                        f"{row.get('index', '')} {row.get('component', '')} {best}–{worst}/{n} called "
                        f"{row['side']} ({row['half']} half)",
                    )


def rule_strongest(r: Report, sections: list[Section]) -> Iterator[Violation]:
    """The parts the summary names as strongest (weakest) against the other provinces must stand above (below)
    every part it does not name, of every index: a part left out while better placed makes "strongest" false."""
    from ..analysis.position import SUMMARY_MAX_AGE, standing

    for s in sections:
        named, parts = s.tables.get("named_parts"), s.tables.get("parts")
        if named is None or parts is None or named.empty:
            continue
        parts = parts[parts["year"] >= r.year - SUMMARY_MAX_AGE]
        for side, half, better in (("strength", "upper", 1), ("weakness", "lower", -1)):
            said = named[named["side"] == side]
            if said.empty:
                continue
            last = min(better * standing(said))
            key = [(i, c) for i, c in zip(said["index"], said["component"])]
            for (_, row), k in zip(parts.iterrows(), better * standing(parts)):
                if row["half"] == half and k > last and (row["index"], row["component"]) not in key:
                    yield r.violation(
                        s,
                        rule_strongest,
                        f"{row['index']} {row['component']} {row['rank']}/{row['rank_of']} ({int(row['year'])}) "
                        f"not named among the {side}s: {', '.join(f'{i} {c}' for i, c in key)}",
                    )


MERGER_WORDS = {  # what is said only of a unit formed by merging provinces, or of a province merged into one
    "vi": ("hình thành từ", "hợp nhất thành", "trước sáp nhập", "vùng suy ra", "đã hợp thành", "kế thừa"),
    "en": ("formed from", "merged into", "before the merger", "derived region", "region is derived", "successor"),
}


def rule_unchanged_units(r: Report, sections: list[Section]) -> Iterator[Violation]:
    """A unit not rearranged in 2025 (Resolution 202/2025/QH15: Hà Nội, Huế, …), or its old province, called
    formed, merged, its own successor or of a derived region: it is the same province."""
    if r.slug == OVERVIEW:
        return
    unit = r.ds.registry.get(r.slug)
    if not (unit.unchanged or (unit.successor and r.ds.registry.get(unit.successor).unchanged)):
        return
    for s in sections:
        said = [*s.sentences, *(b.get("text") or b.get("alt") or "" for b in s._blocks if b["kind"] in ("h3", "chart"))]
        for words in said:
            for w in MERGER_WORDS[r.lang]:
                if w in words.lower():
                    yield r.violation(s, rule_unchanged_units, f"{w!r} in {words[:140]!r}")


RULES: list[Callable[[Report, list[Section]], Iterable[Violation]]] = [
    rule_rank_denominator,
    rule_region,
    rule_chart_lines,
    rule_gap_printed,
    rule_stale_components,
    rule_tthc_scope,
    rule_computed_ties,
    rule_reader_text,
    rule_leader_is_self,
    rule_half,
    rule_strongest,
    rule_unchanged_units,
]


# ------------------------------------------------------------------ running the checks
def check_report(ds: Dataset, slug: str, year: int, lang: str = "vi") -> list[Violation]:
    """Every violation of every rule in one report (a province's, or ``"overview"``)."""
    report = Report(ds, slug, int(year), lang)
    try:
        built = build_sections(ds, slug, int(year), lang)
    except Exception as e:
        return [Violation(report.label, "-", "builds", f"{type(e).__name__}: {e}")]
    found: list[Violation] = []
    for rule in RULES:
        try:
            found.extend(rule(report, built))
        except Exception as e:
            found.append(report.violation("-", rule, f"the rule itself failed: {type(e).__name__}: {e}"))
    _close(built)
    return sorted(set(found))


def _close(built: list[Section]) -> None:
    for s in built:
        s.figures.clear()


_DS: Dataset | None = None


def _check_one(job: tuple[str, int, str]) -> list[Violation]:
    assert _DS is not None, "the worker was started without its dataset"
    return check_report(_DS, *job)


def check_years(
    ds,
    years: Iterable[int],
    langs: Iterable[str] = ("vi",),
    provinces: Iterable[str] | None = None,
    processes: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> list[Violation]:
    """Check every report of each year (every unit that can report, and the overview) in each language."""
    global _DS
    jobs = [
        (slug, int(y), lang) for y in years for slug in (provinces or reports_of_year(ds, int(y))) for lang in langs
    ]
    _DS = ds
    found: list[Violation] = []
    if processes > 1:
        import multiprocessing as mp

        _warm(ds)
        with mp.get_context("fork").Pool(processes) as pool:
            for i, v in enumerate(pool.imap_unordered(_check_one, jobs, chunksize=4), start=1):
                found.extend(v)
                if progress:
                    progress(i, len(jobs))
    else:
        for i, job in enumerate(jobs, start=1):
            found.extend(_check_one(job))
            if progress:
                progress(i, len(jobs))
    return sorted(found)


def _warm(ds: Dataset) -> None:
    """Build the dataset's shared tables once, before the worker processes fork and share them."""
    for attr in ("figures", "all_means", "distributions", "years_by_province"):
        getattr(ds, attr)
