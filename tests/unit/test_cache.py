"""The disk cache of ``cchc.load()`` (``cchc.data.cache``): the same dataset as a load without it, invalidated
by any edit in the data folder, kept outside it, and never trusted when it cannot be read."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

import cchc
from cchc.data import cache
from cchc.data.dataset import Dataset, load_dataset

from ..conftest import ROOT


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("CCHC_CACHE_DIR", str(folder))
    return folder


def assert_same(a: Dataset, b: Dataset, data_dir=None) -> None:
    """The same tables, figures, registry, hash and warnings; read from ``data_dir`` (default: b's folder)."""
    for name in Dataset.TABLE_NAMES + ("distributions",):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)
    assert list(a.registry) == list(b.registry)
    assert (a.data_hash, a.data_dir, [p.message for p in a.warnings]) == (
        b.data_hash,
        b.data_dir if data_dir is None else data_dir,
        [p.message for p in b.warnings],
    )


def test_a_cached_load_gives_the_same_tables_and_figures_as_a_fresh_one(good_dir, cache_dir):
    fresh = cchc.load(good_dir, cache=False)
    assert not cache_dir.exists()
    cold = cchc.load(good_dir)  # checks the files and saves
    assert [p.name for p in cache_dir.iterdir()] == [cache.cache_file(good_dir).name]
    warm = cchc.load(good_dir)  # read back
    assert warm is not cold
    for ds in (cold, warm):
        assert_same(ds, fresh)


def test_the_shipped_data_read_back_from_the_cache_are_the_data_checked_again(shipped, cache_dir):
    data = ROOT / "data"
    cache.save(cache.cache_file(data), cache.cache_key(data), shipped)
    warm = load_dataset(data, cache=True)
    assert warm is not shipped and "figures" in vars(warm)  # read from the file, figures included
    assert_same(warm, shipped)


def test_any_edit_in_the_data_folder_is_seen_by_the_next_load(good_dir, cache_dir):
    before = cchc.load(good_dir)
    par = good_dir / "indices" / "par.csv"
    par.write_text(par.read_text(encoding="utf-8").replace("82.05", "83.05"), encoding="utf-8")
    after = cchc.load(good_dir)
    scores = after.figures.query("index == 'PAR' and year == 2020 and province == 'dak-nong'")["score"]
    assert scores.tolist() == [83.05]
    assert before.data_hash != after.data_hash
    (good_dir / "indices" / "new.csv").write_text(par.read_text(encoding="utf-8").splitlines()[0] + "\n")
    assert cchc.load(good_dir).data_hash != after.data_hash  # a file added counts too


def test_the_cache_is_kept_outside_the_data_folder(good_dir, cache_dir, snapshot):
    before = snapshot(good_dir)
    cchc.load(good_dir)
    cchc.load(good_dir)
    assert snapshot(good_dir) == before


@pytest.mark.parametrize(
    "content",
    [b"", b"not a pickle", pickle.dumps(("another key", "not a dataset")), pickle.dumps({"x": 1})[:-3]],
    ids=["empty", "garbage", "another key", "truncated"],
)
def test_an_unreadable_or_foreign_cache_file_is_never_used_and_is_replaced(good_dir, cache_dir, content):
    fresh = cchc.load(good_dir, cache=False)
    path = cache.cache_file(good_dir)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert_same(cchc.load(good_dir), fresh)
    key, ds = pickle.loads(path.read_bytes())
    assert key == cache.cache_key(good_dir) and isinstance(ds, Dataset)


def test_a_folder_with_the_bytes_of_one_loaded_before_reads_its_cache_as_its_own(
    good_dir, tmp_path, cache_dir, monkeypatch
):
    """The cache file is named by the key (the bytes, the code), not by the folder: a folder moved or copied,
    or whose files come back to bytes loaded before (an import undone), is not checked again, and the
    dataset read back is its own."""
    from cchc.data import dataset

    fresh = load_dataset(good_dir)
    cchc.load(good_dir)
    checked, real = [], dataset._checked
    monkeypatch.setattr(dataset, "_checked", lambda folder: checked.append(folder) or real(folder))
    other = tmp_path / "other"
    good_dir.rename(other)
    assert cchc.load(other).data_dir == other
    assert_same(cchc.load(other), fresh, data_dir=other)
    assert checked == []

    par = other / "indices" / "par.csv"
    before = par.read_bytes()
    par.write_bytes(before.replace(b"82.05", b"83.05"))
    assert cchc.load(other).data_hash != fresh.data_hash and checked == [other]
    par.write_bytes(before)  # as it was: read back, not checked again
    assert_same(cchc.load(other), fresh, data_dir=other)
    assert checked == [other] and len(list(cache_dir.glob("*.pickle"))) == 2


def test_a_cache_folder_that_cannot_be_written_costs_only_the_speed(good_dir, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("CCHC_CACHE_DIR", str(blocker / "cache"))
    assert_same(cchc.load(good_dir), cchc.load(good_dir, cache=False))


def test_a_copy_of_a_folder_is_checked_once_and_then_read_from_the_cache_of_its_source(
    good_dir, cache_dir, tmp_path, monkeypatch
):
    """A batch checks a snapshot of data/ (a copy in a temporary folder): the copy reads and writes the cache of
    the folder it was copied from, so a batch after `cchc.load()` (or after another batch) checks nothing again,
    and an edit is still seen."""
    import shutil

    from cchc.data import dataset

    fresh = load_dataset(good_dir)
    checked, real = [], dataset._checked
    monkeypatch.setattr(dataset, "_checked", lambda folder: checked.append(folder) or real(folder))
    copies = [shutil.copytree(good_dir, tmp_path / f"copy{i}") for i in (1, 2)]
    first, second = (load_dataset(c, cache=True, copy_of=good_dir) for c in copies)
    own = load_dataset(good_dir, cache=True)  # the folder's own load reads what its copy saved
    assert checked == [copies[0]]
    assert [p.name for p in cache_dir.iterdir()] == [cache.cache_file(good_dir).name]
    for ds, folder in ((first, copies[0]), (second, copies[1]), (own, good_dir)):
        assert_same(ds, fresh, data_dir=folder)

    edited = shutil.copytree(good_dir, tmp_path / "copy3")
    par = edited / "indices" / "par.csv"
    par.write_text(par.read_text(encoding="utf-8").replace("82.05", "83.05"), encoding="utf-8")
    after = load_dataset(edited, cache=True, copy_of=good_dir)
    assert checked == [copies[0], edited]
    scores = after.figures.query("index == 'PAR' and year == 2020 and province == 'dak-nong'")["score"]
    assert scores.tolist() == [83.05]


# ------------------------------------------------------------------ each data file's checked rows
def test_a_data_file_checked_before_is_read_back_and_only_an_edited_file_is_checked_again(
    good_dir, cache_dir, monkeypatch
):
    """`cchc validate`, an import and a load check each file's rows once for its bytes: an unchanged file is
    read back from the cache (the same rows and problems), an edited one is checked again and its problems seen."""
    from cchc.data import validate

    monkeypatch.setattr(cache, "FILE_BYTES", 0)  # the fixture's files are small: cache them all
    read, real = [], validate.read_records
    monkeypatch.setattr(validate, "read_records", lambda path, *a: read.append(path.name) or real(path, *a))
    uncached = validate.check_dir(good_dir)[:2]
    assert read and (cache_dir / "files").is_dir()
    read.clear()
    assert validate.check_dir(good_dir)[:2] == uncached and read == []

    par = good_dir / "indices" / "par.csv"
    par.write_text(par.read_text(encoding="utf-8").replace("82.05", "82.x5"), encoding="utf-8")
    rows, problems, _ = validate.check_dir(good_dir)
    assert read == ["par.csv"]
    assert any(p.file == "indices/par.csv" and p.column == "score" and "'82.x5'" in p.message for p in problems)
    edited = {True: [], False: []}
    for before, after in zip(uncached[0]["indices"], rows["indices"], strict=True):
        edited[(after["file"], after["row"]) == ("indices/par.csv", 2)].append((before, after))
    assert all(before == after for before, after in edited[False])
    assert [after["score"] for _, after in edited[True]] == [None]


def test_a_data_files_rows_are_checked_again_against_another_province_registry(good_dir, cache_dir, monkeypatch):
    """A province written as a name the registry does not know is an error; once the registry lists it as an
    alias, the same file's bytes are checked again and the row is read as that province."""
    from cchc.data import validate
    from cchc.data.provinces import load_registry

    monkeypatch.setattr(cache, "FILE_BYTES", 0)
    par = good_dir / "indices" / "par.csv"
    par.write_text(par.read_text(encoding="utf-8").replace("Đắk Nông,", "Đắk Nông cũ,"), encoding="utf-8")
    problems = validate.check_dir(good_dir)[1]
    assert any("Unknown province 'Đắk Nông cũ'" in p.message for p in problems), problems
    registry = good_dir / "provinces.csv"
    lines = registry.read_text(encoding="utf-8").splitlines()
    lines = [line + ("Đắk Nông cũ" if line.startswith("dak-nong,") else "") for line in lines]
    registry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_registry.cache_clear()  # read again, as a new process reads it
    rows, problems, _ = validate.check_dir(good_dir)
    assert not validate.errors(problems), problems
    assert [r["province"] for r in rows["indices"] if r["year"] == 2021 and r["index"] == "PAR"][0] == "dak-nong"


def test_the_shipped_files_read_back_from_the_cache_are_the_rows_checked_again(cache_dir):
    """The shipped data's large files (PCI, PAPI: most of the 17,000 rows) are cached with their real size."""
    from cchc.data import validate

    first = validate.check_dir(ROOT / "data")
    assert len(list((cache_dir / "files").iterdir())) >= 2  # pci.csv, papi.csv at least
    again = validate.check_dir(ROOT / "data")
    assert again[:2] == first[:2] and len(again[0]["indices"]) > 16_000


def test_a_report_outside_a_batch_reads_unchanged_data_from_the_cache(good_dir, cache_dir, monkeypatch):
    """A report's notebook run where no batch handed it a checked copy (by hand in Lab, on a Dask worker,
    whose reused kernel renders report after report) reads the data through the disk cache: checked once."""
    from cchc.data import dataset
    from cchc.report import overview
    from cchc.report.context import context

    monkeypatch.setenv("CCHC_DATA_DIR", str(good_dir))
    monkeypatch.delenv(dataset.BATCH_COPY, raising=False)
    checked, real = [], dataset._checked
    monkeypatch.setattr(dataset, "_checked", lambda folder: checked.append(folder) or real(folder))
    first, again = context("dak-nong", 2021), context("Đắk Nông", 2020)
    assert overview.context(2021).ds.data_hash == first.ds.data_hash == again.ds.data_hash
    assert checked == [good_dir] and first.unit.slug == again.unit.slug == "dak-nong"
