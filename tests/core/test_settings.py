"""Settings are checked once at start; a threshold below the floor is fatal."""

import pytest

from tally.core.errors import SettingsError
from tally.core.settings import DEFAULTS, THRESHOLD_FLOOR, get_settings, tally_settings
from tally.site.build import load_settings

from support import REPO


def test_defaults_are_valid_and_use_the_floor():
    settings = get_settings()
    assert settings["TALLY_THRESHOLD"] == THRESHOLD_FLOOR == 11


@pytest.mark.parametrize("value", [10, 0, -1])
def test_threshold_below_the_floor_is_fatal_and_says_how_to_fix(value):
    with pytest.raises(SettingsError) as raised:
        get_settings(TALLY_THRESHOLD=value)
    message = str(raised.value)
    assert "TALLY_THRESHOLD" in message and str(value) in message and "11" in message


@pytest.mark.parametrize("value", ["11", 11.0, True, None])
def test_threshold_of_the_wrong_type_is_fatal(value):
    with pytest.raises(SettingsError, match="whole number"):
        get_settings(TALLY_THRESHOLD=value)


def test_raising_the_threshold_is_allowed():
    assert get_settings(TALLY_THRESHOLD=20)["TALLY_THRESHOLD"] == 20


def test_unknown_tally_setting_is_named():
    with pytest.raises(SettingsError, match="TALLY_THRESHHOLD"):
        tally_settings({"TALLY_THRESHHOLD": 11})


def test_unknown_profile_is_fatal():
    with pytest.raises(SettingsError, match="TALLY_PROFILE"):
        get_settings(TALLY_PROFILE="lenient")


def test_site_settings_file_passes_and_overrides_reach_tally():
    settings = tally_settings(load_settings(REPO / "pelicanconf.py", TALLY_PROFILE="open"))
    assert settings["TALLY_PROFILE"] == "open"
    assert set(DEFAULTS) <= set(settings)
