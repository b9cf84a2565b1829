"""todo-marker: a descriptor still holding a placeholder from `publish.py new` is not published (issue 4)."""

from rule_support import field, found, messages, run
from support import minimal_descriptor


def test_a_placeholder_anywhere_is_found_with_its_path(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["sources"][0]["title"] = "TODO: who collects these figures"
    field(descriptor, "children")["tally:unit"] = "TODO: what is counted"
    report = run(tmp_path, descriptor=descriptor)
    assert found(report, "todo-marker") == [[None, None], [None, None]]
    assert messages(report, "todo-marker") == [
        '"sources[0].title" still says: TODO: who collects these figures',
        '"resources[0].schema.fields[2].tally:unit" still says: TODO: what is counted']


def test_the_fixed_twin(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["description"] = "Counts, with a note on what is still to do (not a placeholder)."
    assert run(tmp_path, descriptor=descriptor).valid


def test_packages_from_elsewhere_may_say_todo(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["title"] = "TODO list of the county"
    assert found(run(tmp_path, descriptor=descriptor, TALLY_PROFILE="open"), "todo-marker") == []
