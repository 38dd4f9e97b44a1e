"""The maps (issue 23): the boundaries' conversion (a tiny fixture built here), the shipped boundaries against
the registry (63 provinces, 34 units made of exactly their predecessors, both archipelagos), and the maps
the overview and a province report draw (the locator; the small maps of the indices, drawn as a layer shared
by every report of the year with the province outlined on it: what they colour, hatch, name and mark;
readable on a phone; the same bytes twice; shapes projected once a process)."""

from __future__ import annotations

import io
import itertools
import json

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image
from shapely.geometry import box, shape

from cchc.catalogue import text
from cchc.data import geo
from cchc.errors import BadInput
from cchc.report import maps, overview, plots, sections

from ..conftest import ROOT

PHONE_PX = 370  # a 390 px screen less the page's margins


# ------------------------------------------------------------------ the conversion, on a tiny fixture
def _square(i: int):
    x, y = 102 + (i % 9) * 0.5, 8 + (i // 9) * 0.5
    return box(x, y, x + 0.4, y + 0.4)  # apart: nothing shared, nothing for the simplification to take


def _fixture(registry, tmp_path, drop: str = "", extra: tuple[str, str] | None = None):
    """A geoBoundaries-like file: one square per old province (ISO code VN-<GSO code>), Côn Đảo as a feature
    of its own with Bà Rịa - Vũng Tàu's ISO code, optionally a province left out or a feature added."""
    from shapely.geometry import mapping

    features = []
    for i, p in enumerate(registry.generation(63)):
        if p.slug != drop:
            features.append((p.name.replace("Hồ Chí Minh", "TP. Hồ Chí Minh"), f"VN-{p.gso_code}", _square(i)))
    brvt = registry.get("ba-ria-vung-tau")
    features.append(("Côn Đảo", f"VN-{brvt.gso_code}", box(106.5, 6.0, 106.7, 6.2)))
    if extra:
        features.append((extra[0], extra[1], box(100.0, 6.0, 100.2, 6.2)))
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"shapeName": n, "shapeISO": iso}, "geometry": mapping(g)}
            for n, iso, g in features
        ],
    }
    path = tmp_path / geo.SOURCE_FILE
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _read(text: str) -> dict[int, dict[str, object]]:
    out: dict[int, dict[str, object]] = {63: {}, 34: {}}
    for f in json.loads(text)["features"]:
        out[f["properties"]["generation"]][f["properties"]["slug"]] = shape(f["geometry"])
    return out


def test_the_conversion_matches_names_joins_con_dao_and_dissolves_the_34_units(registry, tmp_path):
    text = geo.convert(_fixture(registry, tmp_path), registry)
    shapes = _read(text)
    assert sorted(shapes[63]) == sorted(p.slug for p in registry.generation(63))
    assert sorted(shapes[34]) == sorted(p.slug for p in registry.generation(34))
    brvt = shapes[63]["ba-ria-vung-tau"]
    assert brvt.contains(box(106.55, 6.05, 106.65, 6.15)) and len(brvt.geoms) == 2  # its square and Côn Đảo
    for unit in registry.generation(34):
        parts = [shapes[63][p] for p in unit.predecessors]
        assert shapes[34][unit.slug].area == pytest.approx(sum(p.area for p in parts), rel=1e-6), unit.slug
    assert geo.convert(_fixture(registry, tmp_path), registry) == text  # the same bytes again


def test_a_feature_matching_no_province_and_a_province_without_a_feature_are_refused(registry, tmp_path):
    with pytest.raises(BadInput) as e:
        geo.convert(_fixture(registry, tmp_path, drop="kon-tum", extra=("Đảo Xa", "VN-XX")), registry)
    message = str(e.value)
    assert "'Đảo Xa' matches no province" in message and "no feature for Kon Tum (kon-tum)" in message


def test_import_geo_writes_the_file_into_the_data_folder(registry, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "provinces.csv").write_bytes((ROOT / "data" / "provinces.csv").read_bytes())
    target = geo.import_boundaries(_fixture(registry, tmp_path).parent, data)
    assert target == data / "geo" / "boundaries.geojson" and len(_read(target.read_text())[34]) == 34


# ------------------------------------------------------------------ the shipped boundaries
@pytest.fixture(scope="module")
def shipped_shapes():
    return geo.load_boundaries(ROOT / "data")


def test_the_shipped_boundaries_hold_the_63_provinces_and_the_34_units_of_the_registry(registry, shipped_shapes):
    assert sorted(shipped_shapes[63]) == sorted(p.slug for p in registry.generation(63))
    assert sorted(shipped_shapes[34]) == sorted(p.slug for p in registry.generation(34))
    assert (ROOT / "data" / geo.BOUNDARIES).stat().st_size < 100_000  # small enough for every report's process


def test_every_2025_unit_is_made_of_exactly_its_predecessors(registry, shipped_shapes):
    units = shipped_shapes[34]
    for p in registry.generation(63):
        inside = shipped_shapes[63][p.slug].representative_point()
        holders = [slug for slug, g in units.items() if g.contains(inside)]
        assert holders == [p.successor], (p.slug, holders)


def test_the_shipped_boundaries_draw_hoang_sa_with_da_nang_and_truong_sa_with_khanh_hoa(registry, shipped_shapes):
    for a in geo.ARCHIPELAGOS:
        for gen, owner in ((63, a.owner), (34, registry.get(a.owner).successor)):
            islands = [g for g in shipped_shapes[gen][owner].geoms if box(*a.box).contains(g)]
            assert len(islands) >= 5, (a.slug, gen)


# ------------------------------------------------------------------ the overview's maps
@pytest.fixture(scope="module", params=["vi", "en"])
def maps_2023(request, shipped):
    return overview.index_maps(overview.context(2023, request.param, dataset=shipped))


def _collection(fig, gid):
    return next(c for c in fig.axes[0].collections if c.get_gid() == gid)


def test_each_index_of_2023_has_a_choropleth_with_every_province_coloured_or_hatched(maps_2023):
    table = maps_2023.tables["maps"]
    assert table["index"].unique().tolist() == ["PAR", "SIPAS", "PAPI", "PCI", "DTI"]
    assert len(maps_2023.figures) == 5
    par = table[table["index"] == "PAR"]
    fig = maps_2023.figures[0]
    coloured = len(_collection(fig, "map:PAR:2023").get_paths())
    hatched = len(_collection(fig, "map:PAR:2023:missing").get_paths())
    assert coloured == par["group"].notna().sum() and coloured + hatched == 63
    assert par.loc[par["province"] == "ha-noi", "group"].item() == 0  # 3rd of 63: the top quarter
    # every hatched province is named under its map
    hatched_names = par.loc[par["group"].isna(), "name"]
    said = " ".join(maps_2023.sentences)
    assert all(n in said for n in hatched_names)


def test_the_largest_movers_are_marked_and_named(maps_2023):
    table = maps_2023.tables["maps"]
    par = table[table["index"] == "PAR"]
    rose = par.loc[par["moved"] == "rose", "name"].tolist()
    assert "Hải Dương" in rose  # 47 -> 22
    marks = next(line for line in maps_2023.figures[0].axes[0].get_lines() if line.get_gid() == "movers:up")
    assert len(marks.get_xdata()) == len(rose)
    assert any(all(n in s for n in rose) for s in maps_2023.sentences)


def test_par_index_from_2024_is_mapped_by_the_ministrys_groups(shipped):
    g = overview.map_groups(shipped, "PAR", 2024)
    assert set(g["method"]) == {"official"}
    scored = g[g["score"].notna()]
    expected = [0 if s >= 90 else 1 if s >= 80 else 2 for s in scored["score"]]
    assert scored["group"].tolist() == expected and g.loc[g["score"].isna(), "group"].isna().all()


def test_the_2025_overview_draws_the_34_units_and_says_no_index_has_figures(shipped):
    s = overview.index_maps(overview.context(2025, "vi", dataset=shipped))
    assert len(s.figures) == 1
    assert len(_collection(s.figures[0], "map:units:2025:missing").get_paths()) == 34
    assert any("34 đơn vị" in x for x in s.sentences)


def _texts(fig):
    ax = fig.axes[0]
    return [t for t in ax.texts] + list(ax.get_legend().get_texts())


@pytest.mark.parametrize("year", [2023, 2025])
def test_both_archipelagos_are_drawn_and_named_in_vietnamese_in_every_language(shipped, year):
    for lang in ("vi", "en"):
        fig = overview.index_maps(overview.context(year, lang, dataset=shipped)).figures[0]
        gids = {line.get_gid() for line in fig.axes[0].get_lines()}
        assert {"archipelago:hoang-sa", "archipelago:truong-sa"} <= gids
        names = [t.get_text().replace("\n", " ") for t in fig.axes[0].texts]
        assert "Quần đảo Hoàng Sa" in names and "Quần đảo Trường Sa" in names


def test_map_text_reads_on_a_phone_and_no_label_overlaps_another(maps_2023, shipped):
    locator = sections.summary(sections.context("lam-dong", 2023, dataset=shipped)).figures[-1]
    for fig in [*maps_2023.figures, locator._map_layer.figure]:  # the locator's words are drawn in its layer
        width_px = fig.get_figwidth() * plots.DPI
        scale = min(1.0, PHONE_PX / width_px)
        texts = _texts(fig)
        for t in texts:
            assert t.get_fontsize() * plots.DPI / 72 * scale >= 9, t.get_text()
        renderer = FigureCanvasAgg(fig).get_renderer()
        boxes = [t.get_window_extent(renderer) for t in fig.axes[0].texts]  # the labels drawn on the map
        boxes.append(fig.axes[0].get_legend().get_window_extent(renderer))
        for i, a in enumerate(boxes):
            assert not any(a.overlaps(b) for b in boxes[i + 1 :]), a
            assert 0 <= a.x0 and a.x1 <= width_px + 1 and 0 <= a.y0  # inside the figure


def test_a_map_renders_the_same_bytes_twice_and_projects_the_shapes_once(shipped):
    ctx = overview.context(2023, "vi", dataset=shipped)
    first = plots.png_bytes(overview.index_maps(ctx).figures[0])
    misses = maps.projected.cache_info().misses
    assert plots.png_bytes(overview.index_maps(ctx).figures[0]) == first
    assert maps.projected.cache_info().misses == misses


@pytest.mark.parametrize("kind", ["overview", "locator", "index maps"])
def test_a_map_is_saved_at_its_size_with_the_pixels_of_matplotlibs_own_tight_crop(shipped, kind):
    """``png_bytes`` draws a map once at its own size and adds its white margin (no tight bounding box
    measured): the pixels, hatching included, are those of matplotlib's tight crop, as RGB (a map is opaque)."""
    if kind == "overview":
        fig = overview.index_maps(overview.context(2023, "vi", dataset=shipped)).figures[0]
    elif kind == "locator":
        fig = sections.summary(sections.context("ha-noi", 2023, dataset=shipped)).figures[-1]
    else:
        fig = _index_maps(shipped, "dak-nong", 2024)[1]
    png = Image.open(io.BytesIO(plots.png_bytes(fig)))
    buf = io.BytesIO()
    with plots.theme():
        fig.savefig(buf, format="png", dpi=plots.DPI, bbox_inches="tight")
    tight = Image.open(buf)
    assert png.mode == "RGB" and png.size == tight.size
    assert (np.asarray(png) == np.asarray(tight.convert("RGB"))).all()


# ------------------------------------------------------------------ the province report's locator
@pytest.mark.parametrize(
    "slug, year, gen, n_similar", [("ha-noi", 2023, 63, 5), ("lam-dong-2025", 2025, 34, 0)]
)  # Hà Nội 2023: Vĩnh Phúc, Đà Nẵng, Hồ Chí Minh (PAPI), Kon Tum, Đồng Nai (PCI); none in 2025
def test_the_summary_shows_a_locator_map_of_the_province_its_region_and_similar_provinces(
    shipped, slug, year, gen, n_similar
):
    s = sections.summary(sections.context(slug, year, dataset=shipped))
    fig = s.figures[-1]
    assert fig.get_label() == f"locator:{slug}"
    # drawn in two layers: the region's map, the same for every province of the region (drawn once a
    # process), and the report's own province and similar provinces on it
    shapes = _collection(fig._map_layer.figure, "map:locator")
    assert len(shapes.get_paths()) == gen
    colours = pd.Series([tuple(c) for c in shapes.get_facecolors()]).value_counts()
    region = [p for p in shipped.registry.generation(gen) if p.region == shipped.registry.get(slug).region]
    # its region in one colour, the other provinces in another; the province on it alone in a third
    assert sorted(colours) == sorted([len(region), gen - len(region)])
    own = [p for p in fig.artists if p.get_gid() == f"province:{slug}"]
    assert len(own) == 1 and own[0].get_facecolor() not in [tuple(c) for c in shapes.get_facecolors()]
    assert own[0].get_path() is maps.projected(str(shipped.data_dir), gen).paths[slug]
    similar = [line for line in fig.artists if (line.get_gid() or "").startswith("similar:")]
    assert len(similar) == n_similar and all(p.get_gid()[8:] in shipped.registry for p in similar)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_locators_legend_lies_in_the_sea_over_no_province_for_every_region(shipped, lang):
    """Its legend sat over the northern provinces when the region's name was long ("Trung du và miền núi phía
    Bắc": Cao Bằng and Lạng Sơn under its words, a similar province's outline through them)."""
    from matplotlib.transforms import Bbox

    from cchc.report.output import Section

    for generation in (63, 34):
        units = shipped.registry.generation(generation)
        for region, similar in itertools.product(sorted({u.region for u in units}), ([], [units[-1].slug])):
            unit = next(u for u in units if u.region == region)
            s = Section("summary", lang)
            maps.add_locator(s, shipped, unit, similar, lang)  # with similar provinces: a row more
            layer = s.figures[0]._map_layer.figure
            ax = layer.axes[0]
            renderer = FigureCanvasAgg(layer).get_renderer()
            box = Bbox(ax.transData.inverted().transform(ax.get_legend().get_window_extent(renderer)))
            shapes = _collection(layer, "map:locator")
            under = [p for p in shapes.get_paths() if p.intersects_bbox(box, filled=True)]
            assert under == [], (generation, region, similar, len(under))


def test_a_data_folder_without_boundaries_gives_reports_without_maps_and_says_so(shipped, tmp_path):
    """A user's own data folder may hold no data/geo: the overview says it draws no map, the province
    report's summary has no locator, and neither fails (a batch's every report did)."""
    import copy

    from cchc import sections as api_sections

    ds = copy.copy(shipped)
    ds.data_dir = tmp_path  # a data folder without geo/boundaries.geojson
    for lang in ("vi", "en"):
        s = overview.index_maps(overview.context(2023, lang, dataset=ds))
        assert s.figures == [] and s.sentences == [text("map.no_boundaries", lang)]
    summary = api_sections.summary(ds, "ha-noi", 2023, "vi")
    assert not any((f.get_label() or "").startswith("locator:") for f in summary.figures)
    assert summary.sentences  # the summary itself is still there


# ------------------------------------------------------------------ the province report's small maps, one per index
def _index_maps(shipped, slug, year, lang="vi"):
    s = sections.position(sections.context(slug, year, lang, dataset=shipped))
    return s, next(f for f in s.figures if f.get_label() == f"index-maps:{slug}")


@pytest.mark.parametrize("slug, year", [("bac-ninh", 2023), ("dak-nong", 2024)])
def test_the_position_section_maps_each_index_with_the_province_outlined_in_its_own_group(shipped, slug, year):
    s, report_fig = _index_maps(shipped, slug, year)
    fig = report_fig._map_layer.figure  # the maps of the year, drawn once a process; the province on them
    pos = s.tables["position"].set_index("index")
    drawn = [
        i
        for i in ("PAR", "SIPAS", "PAPI", "PCI", "DTI")
        if overview.map_groups(shipped, i, year)["group"].notna().any()
    ]
    assert [ax.get_title() for ax in fig.axes] == [text(f"map.panel.{i}", "vi") for i in drawn]
    for ax, index in zip(fig.axes, drawn):
        groups = overview.map_groups(shipped, index, year)
        coloured = next(c for c in ax.collections if c.get_gid() == f"map:{index}:{year}")
        hatched = next(c for c in ax.collections if c.get_gid() == f"map:{index}:{year}:missing")
        assert len(coloured.get_paths()) == groups["group"].notna().sum()
        assert len(coloured.get_paths()) + len(hatched.get_paths()) == 63
        # the province's colour on the map is its group in the position table above it
        own = groups.set_index("province").loc[slug, "group"]
        if index in pos.index and pd.notna(own):
            legend = overview.map_legend(groups["method"].iloc[0], "vi")
            group = pos.loc[index, "group"]
            expected = {"A": 0, "B": 1}.get(group, None) if isinstance(group, str) else int(group) - 1
            assert expected == own, (index, group, own)
            assert legend[int(own)][1] in {legend_colour for _, legend_colour in legend}
    outlines = [p for p in report_fig.artists if (p.get_gid() or "").startswith("outline:")]
    assert [p.get_gid() for p in outlines] == [f"outline:{slug}"] * len(drawn)
    # each outline lies on its own map: the province's shape carried to that map's place in the figure
    own = maps.projected(str(shipped.data_dir), 63).paths[slug]
    renderer = FigureCanvasAgg(fig).get_renderer()
    for ax, outline in zip(fig.axes, outlines):
        placed = outline.get_transform().transform(own.vertices)
        box = ax.get_window_extent(renderer)
        inside = (
            (placed[:, 0] >= box.x0) & (placed[:, 0] <= box.x1) & (placed[:, 1] >= box.y0) & (placed[:, 1] <= box.y1)
        )
        assert inside.all()
        expected = ax.transData.transform(own.vertices)
        assert abs(placed - expected).max() < 0.01
    assert "Quần đảo Hoàng Sa" in [t.get_text().replace("\n", " ") for t in fig.axes[0].texts]
    assert any("gạch chéo" in x for x in s.sentences)


def test_a_2025_unit_in_a_year_of_the_63_is_outlined_around_its_predecessors_and_said_so(shipped):
    s, fig = _index_maps(shipped, "ha-noi-2025", 2024)  # DTI 2024 ranked the 34 units
    outline = next(p for p in fig.artists if p.get_gid() == "outline:ha-noi-2025")
    first = fig._map_layer.figure.axes[0]
    assert sum(len(c.get_paths()) for c in first.collections if (c.get_gid() or "").startswith("map:")) == 63
    assert outline.get_path() is maps.projected(str(shipped.data_dir), 34).paths["ha-noi-2025"]
    assert any("63 tỉnh cũ" in x for x in s.sentences)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_small_maps_read_on_a_phone_without_overlaps_and_give_the_same_bytes_twice(shipped, lang):
    _, report_fig = _index_maps(shipped, "dak-nong", 2024, lang)
    fig = report_fig._map_layer.figure  # every word of the maps is drawn in it
    assert {t.get_text() for t in report_fig.texts} == {t.get_text() for t in maps._words(fig)}
    width_px = fig.get_figwidth() * plots.DPI
    scale = min(1.0, PHONE_PX / width_px)
    renderer = FigureCanvasAgg(fig).get_renderer()
    legend = fig.legends[0]
    texts = [*(t for ax in fig.axes for t in (*ax.texts, ax.title)), *legend.get_texts()]
    for t in texts:
        assert t.get_fontsize() * plots.DPI / 72 * scale >= 9, t.get_text()
    boxes = [t.get_window_extent(renderer) for ax in fig.axes for t in (*ax.texts, ax.title)]
    boxes.append(legend.get_window_extent(renderer))
    for i, a in enumerate(boxes):
        assert not any(a.overlaps(b) for b in boxes[i + 1 :]), a
        assert 0 <= a.x0 and a.x1 <= width_px + 1 and 0 <= a.y0
    again = _index_maps(shipped, "dak-nong", 2024, lang)[1]
    assert plots.png_bytes(report_fig) == plots.png_bytes(again)
    maps._LAYERS.clear()  # drawn afresh, as in a new process: the same bytes again
    assert plots.png_bytes(_index_maps(shipped, "dak-nong", 2024, lang)[1]) == plots.png_bytes(report_fig)


@pytest.mark.parametrize("lang, similar_words", [("vi", "tương đồng"), ("en", "similar")])
def test_the_locators_text_names_similar_provinces_only_when_it_draws_some(shipped, lang, similar_words):
    """Lâm Đồng 2025 and Huế 2025 have no similar provinces; the locator's text said it showed them."""
    from cchc.report.output import Section

    unit = shipped.registry.get("lam-dong-2025")
    for similar, said in (([], False), (["gia-lai-2025"], True)):
        s = Section("summary", lang)
        maps.add_locator(s, shipped, unit, similar, lang)
        alt = next(b["alt"] for b in s._blocks if b["kind"] == "chart")
        assert (similar_words in alt) == said, alt
