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


def test_the_cache_of_another_data_folder_is_not_taken(good_dir, tmp_path, cache_dir):
    cchc.load(good_dir)
    other = tmp_path / "other"
    good_dir.rename(other)
    path = cache.cache_file(good_dir)
    path.rename(cache.cache_file(other))  # same bytes, same key, but the dataset of another folder
    assert cchc.load(other).data_dir == other


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
