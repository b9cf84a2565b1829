"""core/cache.py: entries named by a hash of their inputs; a change of any input is a miss."""

import shutil

from tally.core.cache import PACKAGE_DIR, Cache, code_version, folder_digest, key


def test_an_entry_is_read_back_and_a_missing_one_is_a_miss(tmp_path):
    cache = Cache(tmp_path, "charts")
    k = key("view", {"a": 1})
    assert cache.get_bytes(k) is None
    cache.put_json(k, {"svg": "<svg/>"})
    assert cache.get_json(k) == {"svg": "<svg/>"}
    assert not list(cache.root.rglob("*.tmp"))  # written atomically, no temporary left behind


def test_keys_change_with_every_input():
    assert key("a", {"x": 1}) == key("a", {"x": 1})
    assert len({key("a", {"x": 1}), key("a", {"x": 2}), key("b", {"x": 1})}) == 3


def test_folder_digest_sees_names_and_bytes(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.csv").write_text("1")
    before = folder_digest(tmp_path / "d")
    (tmp_path / "d" / "a.csv").write_text("2")
    changed = folder_digest(tmp_path / "d")
    (tmp_path / "d" / "a.csv").rename(tmp_path / "d" / "b.csv")
    assert len({before, changed, folder_digest(tmp_path / "d")}) == 3


def test_a_change_in_any_wing_invalidates_the_cache(tmp_path):
    # After the restructure the hash covered core/ only, so a chart drawn by old site/ code
    # would have been served from the cache after an upgrade.
    copy = tmp_path / "tally"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert (copy / "site" / "charts.py").is_file()
    before = code_version(copy)
    (copy / "site" / "charts.py").write_text((copy / "site" / "charts.py").read_text() + "\n# changed\n")
    assert code_version(copy) != before
