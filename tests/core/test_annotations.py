"""core/annotations.py: the codes an annotation field may carry and how an empty cell reads."""

from tally.core.annotations import CODES, EMPTY_CODES, SUPPRESSED, cell_label


def test_suppressed_and_not_available_are_the_codes_of_empty_cells():
    assert SUPPRESSED in CODES and set(EMPTY_CODES) == {"S", "N"}
    assert not CODES["P"].empty and not CODES["R"].empty


def test_an_empty_cell_reads_as_its_code_and_a_value_needs_no_label():
    assert cell_label(None, "S") == "Suppressed"
    assert cell_label(None, "N") == "Not available"
    assert cell_label(None, "") == "Not available"  # an empty cell without a code is never shown as 0
    assert cell_label(12, "P") is None
