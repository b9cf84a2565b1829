"""Site settings for local builds. publishconf.py adds the production ones.

Every TALLY_* setting and its default is in plugins/tally/settings.py and
documented in docs/settings.md.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent

# Imported here, not named as a string, so a broken plugin stops the build with an
# error instead of Pelican logging it and exiting 0 without the datasets.
import tally  # noqa: E402

SITENAME = "Example County CSEC Data"
SITESUBTITLE = "Statistics on commercially sexually exploited children and human trafficking"
SITEURL = ""
TIMEZONE = "America/Los_Angeles"
DEFAULT_LANG = "en"

PATH = "content"
THEME = str(HERE / "theme")
THEME_STATIC_DIR = "theme"
PLUGINS = [tally]

# The site is datasets and pages: no blog machinery.
ARTICLE_PATHS = []
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
DIRECT_TEMPLATES = []
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
ARTICLE_SAVE_AS = ""
INDEX_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
DISPLAY_PAGES_ON_MENU = False  # the default menu lists every page on every page
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# Pelican does not escape template output by default; dataset text must be escaped.
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True, "extensions": []}

MENU = [("Datasets", "datasets/"), ("About", "about/"), ("Methodology", "methodology/"),
        ("Privacy", "privacy/"), ("Glossary", "glossary/"), ("Cite", "cite/"), ("Contact", "contact/")]

TALLY_DATASETS_PATH = str(HERE / "datasets")
TALLY_CACHE_PATH = str(HERE / ".cache" / "tally")
TALLY_THRESHOLD = 11
TALLY_PUBLISHER = "Example County Department of Children and Family Services"
TALLY_CONTACT_EMAIL = "data@example.gov"
# Absolute address for metadata (canonical links, JSON-LD, data.json, sitemap, feeds);
# links stay relative to SITEURL. publishconf.py sets it to the public SITEURL.
TALLY_SITE_URL = "https://data.example.gov"
TALLY_DEFAULT_LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                         "title": "Creative Commons Attribution 4.0 International"}
