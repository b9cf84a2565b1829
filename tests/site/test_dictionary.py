"""site/dictionary.py: the data dictionary from the schema, and how empty cells are explained."""

from tally.core.loading import load_dataset
from tally.privacy.policy import Policy
from tally.site.dictionary import EmptyCells, dictionary, empty_cells, suppression_text

from support import minimal_descriptor, write_package


def test_every_field_has_an_entry_in_schema_order(tmp_path):
    dataset, _ = load_dataset(write_package(tmp_path / "minimal", minimal_descriptor()))
    [resource] = dataset.tabular_resources
    entries = dictionary(resource)
    assert [e.name for e in entries] == [f.name for f in resource.fields]


def test_suppression_is_explained_with_the_datasets_own_threshold(tmp_path):
    cells = EmptyCells(suppressed=3)
    assert "from 1 to 10" in suppression_text(cells, Policy.from_rules({}))
    assert "from 1 to 14" in suppression_text(cells, Policy.from_rules({"threshold": 15}))
    assert suppression_text(EmptyCells(), Policy.from_rules({})) == ""


def test_empty_cells_are_counted_by_code(tmp_path):
    dataset, _ = load_dataset(write_package(tmp_path / "minimal", minimal_descriptor()))
    counts = empty_cells(dataset.tabular_resources[0])
    assert (counts.suppressed, counts.not_available) == (1, 0)


def test_a_code_list_dimension_says_how_its_levels_add_up():
    from tally.core.dataset import Field
    from tally.site.dictionary import _constraints_text

    field = Field({"name": "area", "type": "string", "tally:role": "dimension", "tally:codelist": "area",
                   "tally:total": "County", "constraints": {"enum": ["Station 1", "Station 2", "North region",
                                                                     "County"]}})
    text = _constraints_text(field)
    assert 'levels from the shared list "Area"' in text
    assert '"North region" is the sum of Station 1, Station 2' in text
    assert '"County" is the sum of North region' in text
