"""text-encoding: a data file decodes in its declared encoding, UTF-8 by default."""

from rule_support import field, found, run
from support import MINIMAL_CSV, minimal_descriptor


def latin(declare):
    descriptor = minimal_descriptor()
    field(descriptor, "age_band")["constraints"]["enum"] = ["Menóres de 15", "15-17"]
    if declare:
        descriptor["resources"][0]["encoding"] = "latin-1"
    return descriptor, MINIMAL_CSV.replace("Under 15", "Menóres de 15").encode("latin-1")


def test_latin1_bytes_in_a_file_read_as_utf8(tmp_path):
    descriptor, csv = latin(declare=False)
    assert found(run(tmp_path, descriptor=descriptor, csv=csv), "text-encoding") == [[2, None]]


def test_the_fixed_twin_declares_its_encoding(tmp_path):
    descriptor, csv = latin(declare=True)
    assert found(run(tmp_path, descriptor=descriptor, csv=csv), "text-encoding") == []
