"""Pin what the audits find on a slice of the real CT child abuse and neglect package (issue 3).

CT hides every value below 11 (and zeros) as -9999. Its Connecticut totals do not give any
hidden town away, but a town's published "All" allegation total can: in Brooklyn, 2011,
the three hidden allegation types add up to fewer than 11 (DDG 4.4.1 rule 6b).
"""

import csv
import os

import pytest

from tally.privacy.disclosure import Table, exact_audit, interval_audit

from support import CORPUS

CT = CORPUS / "real" / "CT-Data-Collaborative__child-abuse-and-neglect/data/child_abuse_neglect_2017.csv"

if not CT.exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must have ../shared/corpus: %s is missing" % CT)
    pytest.skip("the shared corpus (../shared) is not checked out next to the repo", allow_module_level=True)


def slice_table(year, status, dim, fixed):
    """A one-dimension table of Number rows: by Town (total Connecticut) or by Allegation Type (total All)."""
    other = "Allegation Type" if dim == "Town" else "Town"
    cells = {}
    with open(CT, newline="") as f:
        for r in csv.DictReader(f):
            if (r["Year"], r["Report Status"], r["Measure Type"], r[other]) == (year, status, "Number", fixed):
                cells[(r[dim],)] = None if r["Value"] == "-9999" else int(float(r["Value"]))
    return Table((dim,), {dim: "Connecticut" if dim == "Town" else "All"}, cells)


def test_connecticut_total_does_not_reveal_hidden_towns():
    table = slice_table("2011", "Alleged", "Town", "Sexual Abuse")
    assert len(table.hidden()) == 123
    assert exact_audit(table) == []
    assert interval_audit(table, hidden_min=0) == []


def test_town_all_total_pins_hidden_allegation_types_small():
    table = slice_table("2011", "Alleged", "Allegation Type", "Brooklyn")
    assert exact_audit(table) == []
    findings = interval_audit(table, hidden_min=0)
    assert [f.cells[0][0] for f in findings] == ["At Risk", "Educational Neglect", "High Risk Newborn"]
    assert all(f.lo == 0 and f.hi < 11 for f in findings)
    assert "fewer than 11" in findings[0].describe()
