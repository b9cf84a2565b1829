"""Totals per calendar year on the dataset page and in a CSV (issue 11): only sums of published quarters."""

import csv
import io

from adversarial import packages

from tally.core.loading import load_dataset
from tally.privacy.policy import Policy
from tally.site.annual import annual_views

from support import get_settings

# 2023: the 12-14 and 15-17 bands are hidden in Q1 only.
ONE_HIDDEN_QUARTER = [[20, None, None, 12], [25, 31, 40, 11], [18, 15, 35, 13], [30, 22, 27, 0]]


def _view(tmp_path, values=ONE_HIDDEN_QUARTER):
    folder = packages.write(tmp_path, packages.age_package("ages", values=values))
    dataset, problems = load_dataset(folder)
    assert dataset is not None, problems
    [view] = annual_views(dataset, Policy.of(dataset, get_settings(tmp_path)))
    return dataset, view


def test_a_year_with_a_hidden_quarter_reads_suppressed_and_the_others_are_summed(tmp_path):
    _, view = _view(tmp_path)
    rows = {r[0]: r[1] for r in view.rows}
    assert view.headers == ["Age band", "2023"]
    assert rows["12-14"] == rows["15-17"] == "Suppressed"
    assert rows["Under 12"] == "93" and rows["Unknown age"] == "36"


def test_the_csv_holds_no_figure_for_a_hidden_year_and_each_figure_adds_published_quarters(tmp_path):
    dataset, view = _view(tmp_path)
    quarters = {(r["quarter"], r["age_band"]): r["children"] for r in dataset.tabular_resources[0].rows}
    rows = list(csv.DictReader(io.StringIO(view.content.decode("utf-8"))))
    assert view.filename == "identifications-annual.csv"
    for row in rows:
        parts = [quarters[(q, row["age_band"])] for q in packages.QUARTERS]
        if None in parts:
            assert (row["children"], row["children_note"]) == ("", "S")
        else:
            assert int(row["children"]) == sum(parts)


def test_a_dataset_without_quarters_has_no_annual_table(tmp_path):
    annual = packages.resource("annual", [packages.year(), packages.count("children")],
                               [{"year": "2023", "children": 75}])
    folder = packages.write(tmp_path, packages.package("totals", [annual]))
    dataset, _ = load_dataset(folder)
    assert annual_views(dataset, Policy.of(dataset, get_settings(tmp_path))) == []


def test_the_sample_site_shows_and_serves_the_year_totals(built_site):
    page = (built_site / "datasets" / "first-responder-identifications" / "index.html").read_text(encoding="utf-8")
    assert 'id="annual"' in page and "identifications-annual.csv" in page
    # Rates say whom they divide by: the denominator's title, source and year, under the rates.
    assert "per 100,000 children" in page and 'href="/datasets/child-population/"' in page
    assert "Child population by age band and service area (U.S. Census Bureau" in page and "2023 figures" in page
    rows = list(csv.DictReader(io.StringIO(
        (built_site / "datasets" / "first-responder-identifications" / "identifications-annual.csv")
        .read_text(encoding="utf-8"))))
    with open(built_site / "datasets" / "first-responder-identifications" / "identifications.csv",
              encoding="utf-8") as f:
        quarters = list(csv.DictReader(f))
    for row in rows:
        parts = [q for q in quarters if q["quarter"].startswith(row["year"]) and q["age_band"] == row["age_band"]
                 and q["service_area"] == row["service_area"]]
        assert len(parts) == 4
        if any(p["children"] == "" for p in parts):
            assert row["children"] == "" and row["children_per_100000"] == ""  # a rate is hidden with its total
        else:
            assert int(row["children"]) == sum(int(p["children"]) for p in parts)
        if row["children_per_100000"]:
            assert row["population_year"] == row["year"]
