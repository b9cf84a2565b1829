"""Figures the build derives from published counts: calendar-year totals (issue 11).

A year total is a new published figure. Computed where the hidden values are known
(the county's own table), the total of a year with one hidden quarter gives that
quarter away: total minus the published quarters. These tests feed such a naive
total to the audit and watch the quarter come back; then the build's own totals,
which only ever add published quarters, through the same audit.
"""

from adversarial import packages

from tally.core.loading import load_dataset
from tally.privacy import derived_figures as derived
from tally.privacy import disclosure
from tally.privacy.policy import Policy
from tally.privacy.tables import resource_tables

from support import get_settings

# 2023: the 12-14 band is hidden in Q1 only (6, with 15-17's 30 hidden beside it), published after.
ONE_HIDDEN_QUARTER = [[20, None, None, 12], [25, 31, 40, 11], [18, 15, 35, 13], [30, 22, 27, 0]]
TRUE_2023 = {"Under 12": 93, "12-14": 6 + 31 + 15 + 22, "15-17": 30 + 40 + 35 + 27, "Unknown age": 36}


def _table(tmp_path, values=ONE_HIDDEN_QUARTER):
    folder = packages.write(tmp_path, packages.age_package("ages", values=values))
    dataset, problems = load_dataset(folder)
    assert dataset is not None, problems
    [resource] = dataset.tabular_resources
    return dataset, resource, resource_tables(resource)["children"].table


def _naive(table):
    """What a build holding the raw counts would publish: every year's total, hidden quarters included."""
    out = {}
    for age, value in TRUE_2023.items():
        out[("2023", age)] = value
    out[("2023", "All ages")] = sum(TRUE_2023.values())
    return out


def test_the_naive_total_of_a_year_with_one_hidden_quarter_gives_it_away(tmp_path):
    _, _, table = _table(tmp_path)
    assert not disclosure.published_findings(table)  # the quarters alone are safe
    naive = derived.with_years(table, 0, _naive(table))
    found = {f.cells for f in disclosure.published_findings(naive) if f.rule == "complementary-exact"}
    assert (("2023-Q1", "12-14"),) in found  # 74 - 31 - 15 - 22: the hidden 6 comes back


def test_the_audit_hides_the_year_totals_that_give_a_quarter_away(tmp_path):
    dataset, _, table = _table(tmp_path)
    policy = Policy.of(dataset, get_settings(tmp_path))
    shown = derived.audit_years(table, 0, _naive(table), policy)
    assert shown[("2023", "12-14")] is None and shown[("2023", "15-17")] is None
    assert shown[("2023", "Under 12")] == 93  # a total with no hidden quarter stays
    combined = derived.with_years(table, 0, {k: v for k, v in shown.items() if v is not None})
    assert not disclosure.published_findings(combined, threshold=policy.threshold,
                                             protection_width=policy.protection_width)


def test_a_small_year_total_is_never_shown(tmp_path):
    dataset, _, table = _table(tmp_path)
    policy = Policy.of(dataset, get_settings(tmp_path))
    shown = derived.audit_years(table, 0, {("2023", "Unknown age"): policy.threshold - 1}, policy)
    assert shown == {("2023", "Unknown age"): None}


def test_the_build_shows_s_for_a_year_with_a_hidden_quarter_and_sums_the_others(tmp_path):
    dataset, resource, _ = _table(tmp_path)
    [annual] = derived.annual_totals(resource, Policy.of(dataset, get_settings(tmp_path)))
    cells = {(c.series, c.year): c for c in annual.cells}
    assert cells[(("12-14",), "2023")].code == "S" and cells[(("12-14",), "2023")].value is None
    assert cells[(("15-17",), "2023")].code == "S"
    assert cells[(("Under 12",), "2023")].value == 93
    assert cells[(("All ages",), "2023")].value == sum(TRUE_2023.values())  # every quarter's total is published
    for cell in annual.cells:  # each shown total is the sum of four published quarters, nothing else
        assert cell.value is None or cell.code in ("", "P", "R")


def test_a_year_short_of_a_quarter_is_not_totalled(tmp_path):
    values = packages.SAFE_AGE_VALUES[:3]
    folder = packages.write(tmp_path, dict(packages.age_package("ages"), resources=[
        packages.resource("identifications", [packages.quarter(), packages.age_dim(), packages.count("children")],
                          packages.by_age(values, quarters=packages.QUARTERS[:3]))]))
    dataset, _ = load_dataset(folder)
    assert derived.annual_totals(dataset.tabular_resources[0], Policy.of(dataset, get_settings(tmp_path))) == []


def test_an_n_quarter_makes_its_year_not_available(tmp_path):
    rows = packages.by_age(ONE_HIDDEN_QUARTER)
    for row in rows:
        if row["quarter"] == "2023-Q2" and row["age_band"] == "Unknown age":
            row["children"], row["children_note"] = None, "N"
    folder = packages.write(tmp_path, dict(packages.age_package("ages"), resources=[
        packages.resource("identifications", [packages.quarter(), packages.age_dim(), packages.count("children")],
                          rows)]))
    dataset, _ = load_dataset(folder)
    [annual] = derived.annual_totals(dataset.tabular_resources[0], Policy.of(dataset, get_settings(tmp_path)))
    cell = next(c for c in annual.cells if c.series == ("Unknown age",))
    assert (cell.value, cell.code) == (None, "N")


# -- rates per 100,000 -----------------------------------------------------------------

POPULATION = {"Under 12": 60000, "12-14": 15000, "15-17": 14000}


def _rates(tmp_path, hidden_population=None):
    rows = [{"year": "2023", "age_band": a, "children": None if a == hidden_population else v}
            for a, v in POPULATION.items()]
    rows.append({"year": "2023", "age_band": "All ages", "children": sum(POPULATION.values())})
    population = packages.package("child-population", [packages.resource("population", [
        packages.year(), packages.dim("age_band", list(POPULATION) + ["All ages"], total="All ages",
                                      codelist="age-band"),
        packages.count("children", population="resident-children")], rows)], **{"tally:frequency": "annual"})
    d = packages.age_package("ages", values=ONE_HIDDEN_QUARTER)
    next(f for f in d["resources"][0]["schema"]["fields"] if f["name"] == "children")["tally:denominator"] = {
        "dataset": "child-population", "measure": "children"}
    datasets = {}
    for descriptor in (population, d):
        loaded, problems = load_dataset(packages.write(tmp_path, descriptor))
        assert loaded is not None, problems
        datasets[loaded.slug] = loaded
    ages = datasets["ages"]
    resource = ages.tabular_resources[0]
    policy = Policy.of(ages, get_settings(tmp_path))
    [annual] = derived.annual_totals(resource, policy)
    denominator = derived.denominator_of(resource.field("children"), datasets)
    return annual, {(r.series, r.year): r for r in derived.annual_rates(resource, annual, denominator, policy)}


def test_a_rate_is_the_total_per_100000_of_the_same_levels_and_year(tmp_path):
    annual, rates = _rates(tmp_path)
    under_12 = rates[(("Under 12",), "2023")]
    assert str(under_12.value) == "155.0" and under_12.population_year == "2023"  # 93 / 60,000
    assert str(rates[(("All ages",), "2023")].value) == str(
        round(annual.cell(("All ages",), "2023").value * 100000 / 89000, 1))


def test_a_rate_of_a_suppressed_total_is_suppressed_and_no_rate_gives_back_an_unpublished_count(tmp_path):
    annual, rates = _rates(tmp_path)
    assert rates[(("12-14",), "2023")].value is None and rates[(("12-14",), "2023")].code == "S"
    assert rates[(("Unknown age",), "2023")].code == "N"  # no one to divide by
    for (series, year), rate in rates.items():
        if rate.value is None:
            continue
        total = annual.cell(series, year).value
        # rate x population / 100,000 is the published total: a rate says nothing more.
        assert total is not None and round(float(rate.value) * POPULATION.get(series[0], 89000) / 100000) == total


def test_a_rate_over_a_suppressed_denominator_is_suppressed(tmp_path):
    # Published, it would give the denominator back: total x 100,000 / rate.
    _, rates = _rates(tmp_path, hidden_population="Under 12")
    assert rates[(("Under 12",), "2023")].value is None and rates[(("Under 12",), "2023")].code == "S"
