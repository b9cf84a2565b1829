"""cli/staff.py: the staff commands find datasets by folder name and refuse with --json like validate."""

import json

from support import minimal_descriptor, publish, write_package


def test_a_dataset_described_in_yaml_is_found_by_name(tmp_path):
    # publish.py once looked only for datapackage.json and .yaml, so a .yml package "did not exist".
    import yaml

    folder = tmp_path / "datasets" / "minimal"
    write_package(folder, descriptor_text=yaml.safe_dump(minimal_descriptor()), descriptor_name="datapackage.yml")
    result = publish("template", "minimal", "--datasets", tmp_path / "datasets", "--output", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "there is no dataset" not in result.stderr


def test_an_unknown_dataset_is_refused_as_json_when_asked(tmp_path):
    (tmp_path / "datasets").mkdir()
    result = publish("release", "nothing", "--datasets", tmp_path / "datasets", "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False and 'there is no dataset "nothing"' in report["problems"][0]["message"]
