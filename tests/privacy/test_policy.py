"""policy.py: the one place a dataset's threshold, width, precision and zeros rule are worked out."""

import tokenize
from pathlib import Path

from tally.core.loading import load_dataset
from tally.privacy.policy import Policy

from support import REPO, get_settings, minimal_descriptor, write_package


def load(folder, descriptor):
    write_package(folder, descriptor)
    dataset, problems = load_dataset(folder)
    assert dataset is not None, problems
    return dataset


def test_site_defaults(tmp_path):
    policy = Policy.of(load(tmp_path / "d", minimal_descriptor()), get_settings(tmp_path))
    assert (policy.threshold, policy.protection_width, policy.hidden_minimum, policy.period_precision) == \
        (11, 9, 1, "quarter")


def test_a_dataset_may_raise_the_threshold_and_coarsen_the_period(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["tally:disclosure"] = {"threshold": 20, "zerosSuppressed": True, "periodPrecision": "year"}
    policy = Policy.of(load(tmp_path / "d", descriptor), get_settings(tmp_path))
    # The width grows with the threshold: 1..19 is 18 wide.
    assert (policy.threshold, policy.protection_width, policy.hidden_minimum, policy.period_precision) == \
        (20, 18, 0, "year")


def test_a_weaker_dataset_rule_is_ignored(tmp_path):
    # The threshold-floor rule reports it; here the site's stronger rule simply holds.
    descriptor = minimal_descriptor()
    descriptor["tally:disclosure"] = {"threshold": 5, "periodPrecision": "month"}
    policy = Policy.of(load(tmp_path / "d", descriptor), get_settings(tmp_path))
    assert (policy.threshold, policy.period_precision) == (11, "quarter")


def test_a_raised_site_threshold_applies_to_every_dataset(tmp_path):
    policy = Policy.from_rules({"threshold": 12}, get_settings(tmp_path, TALLY_THRESHOLD=16))
    assert policy.threshold == 16


def test_what_may_be_shown():
    policy = Policy.from_rules({"threshold": 15})
    assert [v for v in ["0", "1", "10", "14", "15", "1,000", "", "n/a", 3.0] if policy.is_small(v)] == ["1", "10", "14", 3.0]
    assert policy.may_show(0) and policy.may_show(15) and not policy.may_show(14)
    assert "15" in policy.hidden_text and list(policy.small_range) == list(range(1, 15))


def test_no_literal_threshold_outside_policy_and_settings():
    # Issue 9: seven literal 11s once drifted apart (diff printed 12 under a threshold of 15).
    allowed = {Path("core/settings.py")}
    root = REPO / "plugins" / "tally"
    found = []
    files = sorted(root.rglob("*.py"))
    assert files
    for path in files:
        if path.relative_to(root) in allowed:
            continue
        with tokenize.open(path) as handle:
            for token in tokenize.generate_tokens(handle.readline):
                if token.type == tokenize.NUMBER and token.string == "11":
                    found.append(f"{path.relative_to(root)}:{token.start[0]}")
    assert not found, "thresholds belong to Policy/settings.DEFAULTS: " + ", ".join(found)
