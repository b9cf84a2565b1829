from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The built sample site, served on 127.0.0.1, and Chromium: session fixtures any test may use.
from browser_support import browser, built_site, site_url  # noqa: E402,F401
