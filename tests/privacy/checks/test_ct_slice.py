"""The complementary audits on real child-welfare counts: CT Data Collaborative, child abuse and neglect.

Issue 3, "Real data". The published file marks suppressed values -9999 and has
no Tally roles. The slice (year 2017, the first ten towns alphabetically,
counts only) is patched in memory: roles and totals declared, the marker read
as a missing value, and `zerosSuppressed` set because the source also hides
zeros (its smallest published count is 11). The state rows ("Connecticut") are
left out: a slice of towns does not add up to the state.
"""

import csv
import json

from tally.core.loading import load_dataset
from tally.privacy.checks import ComplementaryExact, ComplementaryInterval
from tally.privacy.tables import package_measures

from support import get_settings, shared_corpus

PACKAGE = "CT-Data-Collaborative__child-abuse-and-neglect"
TOWNS = ["Andover", "Ansonia", "Ashford", "Avon", "Barkhamsted", "Beacon Falls", "Berlin", "Bethany", "Bethel",
         "Bethlehem"]
COLUMNS = ["Town", "Year", "Allegation Type", "Report Status", "Value"]


def ct_slice(tmp_path):
    source = shared_corpus() / "real" / PACKAGE
    descriptor = json.loads((source / "datapackage.json").read_text())
    with open(source / "data" / "child_abuse_neglect_2017.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f)
                if r["Measure Type"] == "Number" and r["Year"] == "2017" and r["Town"] in TOWNS]
    folder = tmp_path / "ct"
    (folder / "data").mkdir(parents=True)
    with open(folder / "data" / "slice.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        writer.writerows([r[c] for c in COLUMNS] for r in rows)
    types = json.loads(json.dumps(descriptor["resources"][0]["schema"]["fields"][3]["constraints"]["enum"]))
    descriptor["resources"] = [{
        "name": "child-abuse-and-neglect",  # missing in the published descriptor
        "path": "data/slice.csv",
        "schema": {"missingValues": ["", "-9999"], "fields": [
            {"name": "Town", "type": "string", "tally:role": "dimension", "constraints": {"enum": TOWNS}},
            {"name": "Year", "type": "string", "tally:role": "dimension", "tally:period": "year"},
            {"name": "Allegation Type", "type": "string", "tally:role": "dimension", "tally:total": "All",
             "constraints": {"enum": types}},
            {"name": "Report Status", "type": "string", "tally:role": "dimension"},
            {"name": "Value", "type": "number", "tally:role": "measure", "tally:kind": "count"},
        ]},
    }]
    descriptor["tally:disclosure"] = {"zerosSuppressed": True}
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    dataset, problems = load_dataset(folder)
    assert problems == []
    return dataset, len(rows)


def test_the_slice_reads_as_one_table_with_the_marker_hidden(tmp_path):
    dataset, n = ct_slice(tmp_path)
    [linked] = package_measures(dataset)
    table = linked.tables[0].table
    assert n == len(table.cells) == len(TOWNS) * 9 * 2
    assert len(table.hidden()) == 134
    assert min(v for v in table.cells.values() if v is not None) >= 11  # nothing small is published


def test_no_suppressed_cell_is_recovered_exactly_but_many_are_narrowed(tmp_path):
    dataset, _ = ct_slice(tmp_path)
    settings = get_settings(tmp_path)
    exact = list(ComplementaryExact(settings=settings).audit(dataset))
    interval = list(ComplementaryInterval(settings=settings).audit(dataset))
    assert exact == []
    # Three town rows publish "All" allegations and two or three types, and hide six types
    # that add up to less than the threshold (Barkhamsted 2017, alleged: 41 in all, 11 and
    # 26 published, so the six hidden types share 4). Each is pinned below 11 (CalHHS DDG
    # 4.4.1 rule 6(b)) although none is given away exactly.
    assert len(interval) == 18
    towns = sorted({p.message.split("Town=")[1].split(",")[0] for p in interval})
    assert towns == ["Barkhamsted", "Beacon Falls", "Bethlehem"]
    first = interval[0]
    assert first.rule == "complementary-interval" and first.field == "Value" and first.row
    assert "narrowed down to fewer than 11" in first.message
    assert 'the Allegation Type total "All" for (Town=' in first.message
