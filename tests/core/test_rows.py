"""core/rows.py: a table's rows streamed from its file, or held once, compactly (issue 12)."""

import datetime as dt

import pytest
from frictionless import Resource as FrictionlessResource
from frictionless import Schema

from tally.core.loading import load_dataset
from tally.core.rows import Rows, stream_rows

from support import minimal_descriptor, write_package

TYPED_CSV = """quarter,day,flag,share,children,children_note
2024-Q1,2024-01-05,true,1.5,12,
2024-Q1,2024-01-06,false,1,,S
2024-Q2,2024-04-01,true,,0,
2024-Q2,,,2.25,14,N
"""


def typed_resource(tmp_path):
    path = tmp_path / "typed.csv"
    path.write_text(TYPED_CSV)
    return FrictionlessResource(path=str(path), schema=Schema.from_descriptor({"fields": [
        {"name": "quarter", "type": "string"}, {"name": "day", "type": "date"},
        {"name": "flag", "type": "boolean"}, {"name": "share", "type": "number"},
        {"name": "children", "type": "integer"}, {"name": "children_note", "type": "string"}]}))


def test_the_streaming_reader_yields_the_rows_frictionless_reads(tmp_path):
    resource = typed_resource(tmp_path)
    expected = [row.to_dict() for row in resource.read_rows()]
    streamed = list(stream_rows(resource))
    assert streamed == expected
    assert [[type(v) for v in row.values()] for row in streamed] == [[type(v) for v in row.values()]
                                                                       for row in expected]
    assert streamed[0]["day"] == dt.date(2024, 1, 5) and streamed[3]["share"] == 2.25
    assert list(stream_rows(resource)) == expected  # a second pass reads the file again


def test_rows_held_compactly_read_back_as_the_same_dicts(tmp_path):
    resource = typed_resource(tmp_path)
    expected = [row.to_dict() for row in resource.read_rows()]
    rows = Rows.read(resource, [f.name for f in resource.schema.fields])
    assert len(rows) == 4 and list(rows) == expected and rows == expected
    assert rows[0] == expected[0] and rows[-1] == expected[-1] and rows[1:3] == expected[1:3]
    assert list(rows.column("children")) == [12, None, 0, 14]
    with pytest.raises(IndexError):
        rows[4]
    # A row read out is a new dict: changing it leaves the table as it was.
    rows[0]["children"] = 99
    assert rows[0]["children"] == 12


def test_equal_values_of_different_types_stay_apart():
    # 1, 1.0 and True are equal keys in Python: kept as one value they would come back retyped.
    rows = Rows(["v"])
    for value in (1, 1.0, True, "1", None, [1, 2], 1):
        rows.append({"v": value})
    assert [(type(r["v"]), r["v"]) for r in rows] == [(int, 1), (float, 1.0), (bool, True), (str, "1"),
                                                       (type(None), None), (list, [1, 2]), (int, 1)]
    assert rows.levels("v")[:5] == [1, 1.0, True, "1", None]


def test_a_dataset_reads_each_table_once_into_rows(tmp_path):
    dataset, problems = load_dataset(write_package(tmp_path / "minimal", minimal_descriptor()))
    assert not problems
    [resource] = dataset.tabular_resources
    assert isinstance(resource.rows, Rows) and resource.rows is resource.rows
    assert list(resource.rows) == [row.to_dict() for row in resource.frictionless.read_rows()]
    assert resource.rows[1] == {"quarter": "2024-Q1", "age_band": "15-17", "children": None, "children_note": "S"}
