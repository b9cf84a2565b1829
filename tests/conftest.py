import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# The built sample site, served on 127.0.0.1, and Chromium: session fixtures any test may use.
from browser_support import browser, built_site, site_url  # noqa: E402,F401
