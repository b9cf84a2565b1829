"""core/dataset.py: a package resolved once into a Dataset: identity, fields and their roles."""

from tally.core.loading import load_dataset

from support import minimal_descriptor, write_package


def test_the_folder_name_is_the_identity_and_fields_keep_their_roles(tmp_path):
    dataset, problems = load_dataset(write_package(tmp_path / "minimal", minimal_descriptor()))
    assert not problems and dataset.slug == "minimal"
    [resource] = dataset.tabular_resources
    roles = {f.name: f.role for f in resource.fields}
    assert roles == {"quarter": "dimension", "age_band": "dimension", "children": "measure",
                     "children_note": "annotation"}
    assert [f.name for f in resource.fields if f.is_count] == ["children"]
    assert resource.time_field.name == "quarter"
