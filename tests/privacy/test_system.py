"""The site-wide system links tables of one population across datasets and releases (issue 10)."""

import pytest
from adversarial import packages

from tally.core.errors import TablesUnlinkable
from tally.core.loading import load_dataset
from tally.privacy import disclosure
from tally.privacy.system import PERIOD, _calendar, dataset_pieces, level_series, link, populations, total_series

from support import get_settings


def _pieces(root, tmp_path):
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        dataset, _ = load_dataset(folder)
        found += dataset_pieces(dataset, get_settings(tmp_path))
    return found


def test_tables_of_two_datasets_meet_through_the_code_list(tmp_path):
    packages.bad_cross_package_teen_total(tmp_path / "d")
    [system_pieces] = populations(_pieces(tmp_path / "d", tmp_path)).values()
    system = link("test-children", system_pieces)
    assert set(system.table.dimensions) == {PERIOD, "codelist:age-band", "codelist:gender"}
    # 12-17 (from the teens table) = 12-14 + 15-17 (from the ages table), at "All genders".
    teen = [c for c in disclosure.additive_constraints(system.table)
            if c.dimension == "codelist:age-band" and "12-17" in c.total]
    assert teen and all({p[1] for p in c.parts} == {"12-14", "15-17"} for c in teen)
    assert disclosure.exact_audit(system.table)


def test_a_table_that_cannot_be_placed_names_both_tables(tmp_path):
    packages.bad_resource_without_total_level(tmp_path / "d")
    pieces = _pieces(tmp_path / "d", tmp_path)
    with pytest.raises(TablesUnlinkable) as caught:
        link("test-children", pieces)
    assert {caught.value.first.resource, caught.value.second.resource} == {"identifications", "totals"}


def test_archives_take_the_current_population_and_revisions_stand(tmp_path):
    packages.safe_release_then_new_quarter(tmp_path / "d")
    pieces = _pieces(tmp_path / "d", tmp_path)
    assert sorted((str(p.version), p.population) for p in pieces) == [("1.0.0", "test-children"),
                                                                       ("None", "test-children")]
    system = link("test-children", pieces)
    assert not system.table.exposed


def test_the_calendar_sums_quarters_into_years_only_when_all_are_there():
    assert _calendar({"2023", "2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"}) == {
        "2023": ("2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4")}
    assert _calendar({"2023", "2023-Q1"}) == {}


def test_total_series_reads_the_grand_total_by_period(tmp_path):
    packages.safe_baseline(tmp_path / "d")
    [piece] = _pieces(tmp_path / "d", tmp_path)
    assert sorted(total_series(piece)) == packages.QUARTERS


def test_level_series_reads_each_level_by_period_hidden_cells_left_out(tmp_path):
    packages.safe_baseline(tmp_path / "d")
    [piece] = _pieces(tmp_path / "d", tmp_path)
    ages = level_series(piece)["codelist:age-band"]
    # 2023-Q1 hides 12-14 and 15-17 (SAFE_AGE_VALUES); its other bands and its total are read
    assert {level for quarter, level in ages if quarter == "2023-Q1"} == {"Under 12", "Unknown age", "All ages"}
    assert ages[("2023-Q2", "All ages")] == total_series(piece)["2023-Q2"]
