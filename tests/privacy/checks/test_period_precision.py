"""period-precision: no dates, no period finer than allowed, periods written as declared (issue 3, rule 7)."""

import pytest

from rule_support import field, found, messages, run
from support import MINIMAL_CSV, minimal_descriptor


def monthly():
    descriptor = minimal_descriptor()
    quarter = field(descriptor, "quarter")
    quarter["tally:period"] = "month"
    quarter["constraints"]["pattern"] = "^[0-9]{4}-[0-9]{2}$"
    return descriptor, MINIMAL_CSV.replace("2024-Q1", "2024-01").replace("2024-Q2", "2024-02")


def test_a_monthly_period_is_finer_than_the_default(tmp_path):
    descriptor, csv = monthly()
    report = run(tmp_path, descriptor=descriptor, csv=csv)
    assert found(report, "period-precision") == [[None, "quarter"]]
    assert 'finer than this dataset allows ("quarter")' in messages(report, "period-precision")[0]


def test_the_site_may_allow_months(tmp_path):
    descriptor, csv = monthly()
    assert run(tmp_path, descriptor=descriptor, csv=csv, TALLY_PERIOD_PRECISION="month").valid


def test_a_dataset_may_only_narrow_the_precision(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["tally:disclosure"] = {"periodPrecision": "year"}
    assert found(run(tmp_path, descriptor=descriptor), "period-precision") == [[None, "quarter"]]


@pytest.mark.parametrize("kind", ["date", "datetime", "time"])
def test_date_fields_are_refused(tmp_path, kind):
    descriptor = minimal_descriptor()
    quarter = field(descriptor, "quarter")
    quarter.update({"type": kind, "constraints": {"required": True}})
    quarter.pop("tally:period")
    value = {"date": "2024-01-05", "datetime": "2024-01-05T10:00:00", "time": "10:00:00"}[kind]
    csv = MINIMAL_CSV.replace("2024-Q1", value).replace("2024-Q2", value.replace("0", "1", 1))
    assert found(run(tmp_path, descriptor=descriptor, csv=csv), "period-precision") == [[None, "quarter"]]


def test_period_values_must_be_written_as_their_precision(tmp_path):
    descriptor = minimal_descriptor()
    del field(descriptor, "quarter")["constraints"]["pattern"]
    report = run(tmp_path, descriptor=descriptor, csv=MINIMAL_CSV.replace("2024-Q2", "Q2 2024"))
    assert found(report, "period-precision") == [[4, "quarter"], [5, "quarter"]]
    assert 'period "Q2 2024" is not a quarter written like 2024-Q3' in messages(report, "period-precision")[0]


def test_the_fixed_twin(tmp_path):
    assert run(tmp_path, descriptor=minimal_descriptor()).valid
