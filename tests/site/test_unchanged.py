"""site/unchanged.py: a file the build would write as the published site has it is that file, linked."""

import os

from tally.site.unchanged import keep_unchanged, link_if_unchanged, published_twin


def test_the_same_bytes_are_linked_and_different_bytes_are_not(tmp_path):
    published, new = tmp_path / "published", tmp_path / "new"
    (published / "charts").mkdir(parents=True)
    (new / "charts").mkdir(parents=True)
    (published / "charts" / "a.svg").write_bytes(b"<svg>same</svg>")
    twin = published_twin(published, "charts/a.svg")
    assert link_if_unchanged(new / "charts" / "a.svg", twin, data=b"<svg>same</svg>")
    assert (new / "charts" / "a.svg").stat().st_ino == twin.stat().st_ino
    assert not link_if_unchanged(new / "charts" / "b.svg", twin, data=b"<svg>else</svg>")
    assert not link_if_unchanged(new / "charts" / "c.svg", twin, data=b"<svg>sam</svg>")  # shorter
    assert not (new / "charts" / "b.svg").exists() and not (new / "charts" / "c.svg").exists()
    assert not link_if_unchanged(new / "charts" / "d.svg", published_twin(published, "charts/none.svg"), data=b"")


def test_a_download_kept_as_a_file_is_compared_by_its_bytes(tmp_path):
    (tmp_path / "published").mkdir()
    (tmp_path / "published" / "data.xlsx").write_bytes(b"x" * 5000)
    cached = tmp_path / "cached.xlsx"
    cached.write_bytes(b"x" * 5000)
    twin = published_twin(tmp_path / "published", "data.xlsx")
    assert link_if_unchanged(tmp_path / "new.xlsx", twin, file=cached)
    cached.write_bytes(b"x" * 4999 + b"y")
    assert not link_if_unchanged(tmp_path / "other.xlsx", twin, file=cached)


def test_a_link_planted_in_the_published_site_is_never_followed_out_of_it(tmp_path):
    published = tmp_path / "published"
    published.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"outside")
    os.symlink(secret, published / "index.html")
    assert published_twin(published, "index.html") is None
    assert published_twin(published, "../secret.txt") is None
    assert published_twin(None, "index.html") is None


def test_keep_unchanged_links_what_the_generator_did_not(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old, new):
        folder.mkdir()
        (folder / "same.html").write_text("same page")
        (folder / "changed.html").write_text("one page" if folder is old else "another page")
    (old / "linked.png").write_bytes(b"png")
    os.link(old / "linked.png", new / "linked.png")
    assert keep_unchanged(new, old) == 1
    assert (new / "same.html").stat().st_ino == (old / "same.html").stat().st_ino
    assert (new / "changed.html").read_text() == "another page"
    assert (new / "changed.html").stat().st_ino != (old / "changed.html").stat().st_ino
