"""Loading refuses anything it should not read: bad descriptors, remote and escaping paths."""

import pytest

from tally.core.loading import find_dataset_folders, load_dataset

from support import minimal_descriptor, write_package


def test_minimal_package_loads_with_roles(tmp_path):
    dataset, problems = load_dataset(write_package(tmp_path / "minimal"))
    assert problems == []
    resource = dataset.resources[0]
    assert [f.role for f in resource.fields] == ["dimension", "dimension", "measure", "annotation"]
    assert resource.time_field.name == "quarter"
    assert resource.rows[1] == {"quarter": "2024-Q1", "age_band": "15-17", "children": None, "children_note": "S"}


def test_malformed_json_names_line(tmp_path):
    folder = write_package(tmp_path / "bad", descriptor_text='{"name": "bad",\n "resources": [,]}')
    dataset, problems = load_dataset(folder)
    assert dataset is None
    assert [(p.rule, p.row) for p in problems] == [("descriptor-syntax", 2)]
    assert "not valid JSON" in problems[0].message


def test_malformed_yaml(tmp_path):
    folder = write_package(tmp_path / "bad", descriptor_text="name: bad\nresources: [\n", descriptor_name="datapackage.yaml")
    dataset, problems = load_dataset(folder)
    assert dataset is None and problems[0].rule == "descriptor-syntax"
    assert "YAML" in problems[0].message


def test_yaml_descriptor_loads(tmp_path):
    import yaml

    folder = write_package(tmp_path / "y", descriptor_text=yaml.safe_dump(minimal_descriptor()),
                           descriptor_name="datapackage.yaml")
    dataset, problems = load_dataset(folder)
    assert problems == [] and dataset.title == "Minimal example"


def test_empty_package(tmp_path):
    folder = write_package(tmp_path / "empty", descriptor_text="{}")
    dataset, problems = load_dataset(folder)
    assert dataset is None and problems[0].rule == "empty-package"


@pytest.mark.parametrize("path, says", [
    ("https://example.com/data.csv", "remote URL"),
    ("http://example.com/data.csv", "remote URL"),
    ("../outside.csv", "leaves the dataset folder"),
    ("data/../../outside.csv", "leaves the dataset folder"),
    ("/etc/passwd", "absolute path"),
    ("data/missing.csv", "does not exist"),
])
def test_unsafe_or_missing_paths_are_refused_before_frictionless_sees_them(tmp_path, path, says):
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["path"] = path
    dataset, problems = load_dataset(write_package(tmp_path / "p", descriptor))
    assert dataset is None
    assert [p.rule for p in problems] == ["unsafe-path"]
    assert says in problems[0].message and problems[0].resource == "identifications"


def test_remote_schema_is_refused(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["schema"] = "https://example.com/schema.json"
    dataset, problems = load_dataset(write_package(tmp_path / "p", descriptor))
    assert dataset is None and "remote URL" in problems[0].message


def test_link_out_of_the_folder_is_refused(tmp_path):
    (tmp_path / "secret.csv").write_text("a\n1\n")
    folder = write_package(tmp_path / "p")
    (folder / "data" / "identifications.csv").unlink()
    (folder / "data" / "identifications.csv").symlink_to(tmp_path / "secret.csv")
    dataset, problems = load_dataset(folder)
    assert dataset is None and "through a link" in problems[0].message


def test_frictionless_descriptor_errors_carry_their_reasons(tmp_path):
    descriptor = minimal_descriptor()
    del descriptor["resources"][0]["name"]
    dataset, problems = load_dataset(write_package(tmp_path / "p", descriptor))
    assert dataset is None
    assert problems[0].rule == "package-error" and "'name' is a required property" in problems[0].message


def test_find_dataset_folders_sorted_and_nested(tmp_path):
    for name in ("b", "a", "group/c"):
        write_package(tmp_path / name)
    assert [p.name for p in find_dataset_folders(tmp_path)] == ["a", "b", "c"]
