"""The denominator rule: a count's rates divide by a count by year of the same code lists (issue 11)."""

from adversarial import packages

from rule_support import rules_of, run_site

RULE = "denominator"
POPULATION = {"Under 12": 60000, "12-14": 15000, "15-17": 14000}


def population_package(name="child-population", age=True):
    rows = []
    for year in ("2023", "2024"):
        for level, value in POPULATION.items():
            rows.append({"year": year, "age_band": level, "children": value})
        rows.append({"year": year, "age_band": "All ages", "children": sum(POPULATION.values())})
    dims = [packages.year()] + ([packages.dim("age_band", list(POPULATION) + ["All ages"], total="All ages",
                                              codelist="age-band", title="Age band")] if age else [])
    if not age:
        rows = [{"year": r["year"], "children": r["children"]} for r in rows if r["age_band"] == "All ages"]
    return packages.package(name, [packages.resource("population", dims + [packages.count(
        "children", population="resident-children")], rows)], **{"tally:frequency": "annual"})


def counted(denominator, age_total="All ages"):
    d = packages.age_package("ages")
    children = next(f for f in d["resources"][0]["schema"]["fields"] if f["name"] == "children")
    children["tally:denominator"] = denominator
    if age_total is None:
        age = next(f for f in d["resources"][0]["schema"]["fields"] if f["name"] == "age_band")
        age.pop("tally:total")
        age.pop("tally:codelist")
        age["name"] = "age_band"
    return d


def safe_rates_by_age(root):
    packages.write(root, population_package())
    packages.write(root, counted({"dataset": "child-population", "measure": "children"}))


def safe_rates_of_all_ages_only(root):
    """A population without age bands: the count's age band has a total, so its "All ages" rows get rates."""
    packages.write(root, population_package(age=False))
    packages.write(root, counted({"dataset": "child-population", "measure": "children"}))


def bad_unknown_dataset(root):
    packages.write(root, counted({"dataset": "no-such-dataset", "measure": "children"}))


def bad_not_a_count_by_year(root):
    packages.write(root, packages.age_package("other"))  # by quarter, not by year
    packages.write(root, counted({"dataset": "other", "measure": "children"}))


def bad_breakdown_the_denominator_lacks(root):
    """The count's age band takes no code list and has no total: no denominator row matches it."""
    packages.write(root, population_package())
    packages.write(root, counted({"dataset": "child-population", "measure": "children"}, age_total=None))


def test_refused(tmp_path):
    for make in (bad_unknown_dataset, bad_not_a_count_by_year, bad_breakdown_the_denominator_lacks):
        report = run_site(tmp_path / make.__name__, make)
        found = [p for p in report.problems if p.rule == RULE]
        assert found, (make.__name__, sorted(rules_of(report)))
        assert all(p.hint and p.file and p.field in ("children", "age_band") for p in found)


def test_passes(tmp_path):
    for make in (safe_rates_by_age, safe_rates_of_all_ages_only):
        assert RULE not in rules_of(run_site(tmp_path / make.__name__, make)), make.__name__
