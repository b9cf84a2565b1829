"""tables.py: how a published CSV reads to the disclosure audits (hidden, not available, totals, links)."""

import json

import pytest

from tally.core.loading import load_dataset
from tally.core.releases import release_folder
from tally.privacy import disclosure
from tally.privacy.tables import (
    Unlinkable,
    dataset_tables,
    link,
    package_measures,
    release_datasets,
    resource_tables,
    with_releases,
)

from support import archive_package, minimal_descriptor, write_package

CSV = """quarter,age_band,children,children_note
2024-Q1,Under 15,12,
2024-Q1,15-17,,S
2024-Q1,All ages,40,
2024-Q2,Under 15,,N
2024-Q2,15-17,0,
2024-Q2,All ages,16,
"""


def total_descriptor():
    descriptor = minimal_descriptor()
    age = descriptor["resources"][0]["schema"]["fields"][1]
    age["constraints"]["enum"] = ["Under 15", "15-17", "All ages"]
    age["tally:total"] = "All ages"
    descriptor["resources"][0]["schema"]["fields"][3]["constraints"]["enum"] = ["S", "N"]
    return descriptor


def load(tmp_path, descriptor=None, csv=CSV):
    dataset, problems = load_dataset(write_package(tmp_path / "d", descriptor or total_descriptor(), csv))
    assert not problems
    return dataset


def test_one_table_per_count_with_hidden_and_published_cells(tmp_path):
    tables = resource_tables(load(tmp_path).resources[0])
    assert list(tables) == ["children"]
    table = tables["children"].table
    assert table.dimensions == ("quarter", "age_band") and table.totals == {"age_band": "All ages"}
    assert table.cells[("2024-Q1", "15-17")] is None
    assert table.cells[("2024-Q2", "15-17")] == 0  # a zero is a published zero
    assert table.primary == frozenset()  # a published file does not say which hidden cells are small


def test_a_not_available_cell_is_left_out_so_it_hides_nothing(tmp_path):
    table = resource_tables(load(tmp_path).resources[0])["children"].table
    assert ("2024-Q2", "Under 15") not in table.cells
    # Left out, the 2024-Q2 total equals its remaining part: no equation over an unknown.
    constraint = next(c for c in disclosure.additive_constraints(table) if c.total[0] == "2024-Q2")
    assert constraint.parts == (("2024-Q2", "15-17"),)


def test_places_give_the_row_number_in_the_file(tmp_path):
    measure = resource_tables(load(tmp_path).resources[0])["children"]
    assert measure.place(("2024-Q1", "15-17")) == ("identifications", 3)
    assert measure.describe_key(("2024-Q1", "15-17")) == "quarter=2024-Q1, age_band=15-17"


def test_repeated_dimension_values_are_recorded(tmp_path):
    descriptor = total_descriptor()
    del descriptor["resources"][0]["schema"]["primaryKey"]
    measure = resource_tables(load(tmp_path, descriptor, CSV + "2024-Q1,Under 15,13,\n").resources[0])["children"]
    assert measure.duplicates == [("identifications", 8, 2)]


def test_key_values_are_text(tmp_path):
    descriptor = total_descriptor()
    quarter = descriptor["resources"][0]["schema"]["fields"][0]
    quarter.update({"type": "integer", "tally:period": "year", "constraints": {"required": True}})
    csv = CSV.replace("2024-Q1", "2023").replace("2024-Q2", "2024")
    table = resource_tables(load(tmp_path, descriptor, csv).resources[0])["children"].table
    assert ("2023", "Under 15") in table.cells


def by_age_and_totals():
    """Counts by age in one table, the per-quarter total in another (no age dimension)."""
    by_age = disclosure.Table(("quarter", "age_band"), {"age_band": "All"},
                              {("Q1", "a"): None, ("Q1", "b"): 20})
    totals = disclosure.Table(("quarter",), {}, {("Q1",): 27})
    return by_age, totals


def test_tables_of_one_measure_link_and_keep_their_places():
    from tally.privacy.tables import MeasureTable

    by_age, totals = by_age_and_totals()
    linked = link("children", [MeasureTable("children", by_age, {("Q1", "a"): ("ages", 2)}),
                               MeasureTable("children", totals, {("Q1",): ("totals", 2)})])
    table = linked.tables[0]
    assert table.table.cells[("Q1", "All")] == 27
    assert table.place(("Q1", "All")) == ("totals", 2) and table.place(("Q1", "a")) == ("ages", 2)
    assert [f.cells for f in disclosure.exact_audit(table.table)] == [(("Q1", "a"),)]


def test_tables_that_cannot_share_a_cell_space_stay_apart():
    from tally.privacy.tables import MeasureTable

    a = disclosure.Table(("quarter", "age"), {}, {("Q1", "a"): 5})
    b = disclosure.Table(("quarter",), {}, {("Q1",): 5})
    linked = link("children", [MeasureTable("children", a), MeasureTable("children", b)])
    assert len(linked.tables) == 2 and linked.conflict is None


def test_a_release_with_a_revised_figure_links_without_conflict():
    from tally.privacy.tables import MeasureTable

    now = MeasureTable("c", disclosure.Table(("q", "g"), {"g": "All"}, {("Q1", "a"): 30, ("Q1", "All"): 50,
                                                                      ("Q1", "b"): 20}))
    old = MeasureTable("c", disclosure.Table(("q", "g"), {"g": "All"}, {("Q1", "a"): 31, ("Q1", "All"): 51,
                                                                      ("Q1", "b"): 20}))
    assert with_releases(now, [old]).table.cells == now.table.cells


def test_a_release_that_cannot_be_placed_is_unlinkable():
    from tally.privacy.tables import MeasureTable

    now = MeasureTable("c", disclosure.Table(("q",), {}, {("Q1",): 30}))
    old = MeasureTable("c", disclosure.Table(("q", "g"), {}, {("Q1", "a"): 30}))
    with pytest.raises(Unlinkable, match="lacks"):
        with_releases(now, [old])


def test_archived_releases_are_loaded_oldest_first(tmp_path):
    folder = write_package(tmp_path / "d", total_descriptor(), CSV)
    for version in ("1.10.0", "1.2.0"):
        descriptor = json.loads((folder / "datapackage.json").read_text())
        archive_package(folder, descriptor, release_folder(folder, version))
    dataset, _ = load_dataset(folder)
    assert [(v, d is not None) for v, d, _ in release_datasets(dataset)] == [("1.2.0", True), ("1.10.0", True)]
    assert [m.measure for m in package_measures(dataset)] == ["children"]
    assert list(dataset_tables(dataset)) == ["children"]
