"""Production settings: pelicanconf.py plus the public URL."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F401,F403,E402

# The public address; CI sets SITEURL for the host it deploys to.
SITEURL = os.environ.get("SITEURL", "https://data.example.gov")
RELATIVE_URLS = False
TALLY_SITE_URL = SITEURL  # canonical links, JSON-LD, data.json, sitemap and feeds name the public address
