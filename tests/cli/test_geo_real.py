"""`cchc import-geo` on geoBoundaries' real file (CCHC_SOURCES_DIR/geo, skipped without it): the shipped
data/geo/boundaries.geojson is exactly what the command writes from the publisher's file, never hand-edited."""

from __future__ import annotations

import shutil

import pytest

from ..conftest import ROOT, SOURCES_DIR, cchc

GEO = SOURCES_DIR / "geo"
pytestmark = pytest.mark.slow


@pytest.mark.skipif(not GEO.is_dir(), reason="geoBoundaries' file is not given (CCHC_SOURCES_DIR/geo)")
def test_import_geo_writes_the_shipped_boundaries_from_the_real_file(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / "provinces.csv", data / "provinces.csv")
    run = cchc("import-geo", str(GEO), "--into", str(data))
    assert run.returncode == 0, run.stderr
    written = data / "geo" / "boundaries.geojson"
    assert "boundaries.geojson" in run.stdout
    assert written.read_bytes() == (ROOT / "data" / "geo" / "boundaries.geojson").read_bytes()


def test_import_geo_refuses_a_file_that_is_not_geojson_and_writes_nothing(tmp_path):
    shutil.copy(ROOT / "data" / "provinces.csv", tmp_path / "provinces.csv")
    bad = tmp_path / "x.geojson"
    bad.write_text("not json", encoding="utf-8")
    run = cchc("import-geo", str(bad), "--into", str(tmp_path))
    assert run.returncode == 65 and "x.geojson: error: not a GeoJSON FeatureCollection" in run.stderr
    assert not (tmp_path / "geo").exists()
