"""The Pelican generator: validate and gather in generate_context, write in generate_output.

One of only two modules that import Pelican (the other is __init__.register).
"""

from __future__ import annotations

import os
from pathlib import Path

import vl_convert
from pelican.generators import Generator

from .cache import Cache
from .errors import ValidationFailed
from .pages import build_dataset_page
from .settings import tally_settings
from .validation import validate

VEGA_BUNDLE = "theme/js/vega-bundle.js"


class TallyGenerator(Generator):
    """Writes the home page, the catalog and one page (plus downloads) per dataset."""

    def generate_context(self):
        settings = tally_settings(self.settings)
        progress = settings["TALLY_PROGRESS"] or (lambda stage, name: None)
        root = Path(settings["TALLY_DATASETS_PATH"])
        report, datasets = validate(root, settings, progress=progress)
        if not report.valid:
            raise ValidationFailed(report)  # the build must fail, never publish a bad table
        cache = Cache(settings["TALLY_CACHE_PATH"], "charts")
        pages = []
        for dataset in datasets:
            pages.append(build_dataset_page(dataset, settings, cache))
            progress("rendered", dataset.slug)
        pages.sort(key=lambda p: p.title.lower())
        self.dataset_pages = pages
        self.context["tally_datasets"] = pages
        self.context["tally_sample"] = any(p.dataset.sample for p in pages)
        self.context["tally_topics"] = sorted({p.dataset.topic for p in pages if p.dataset.topic})

    def generate_output(self, writer):
        for page in self.dataset_pages:
            writer.write_file(f"{page.url}index.html", self.get_template("dataset"), self.context,
                              dataset_page=page, page_name=page.url)
            folder = Path(self.output_path) / page.url
            for download in page.downloads:
                _write_bytes(folder / download.filename, download.content)
        writer.write_file("datasets/index.html", self.get_template("catalog"), self.context,
                          page_name="datasets/")
        writer.write_file("index.html", self.get_template("home"), self.context, page_name="")
        if any(page.charts for page in self.dataset_pages):
            _write_bytes(Path(self.output_path) / VEGA_BUNDLE, _vega_bundle(self.settings))


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _vega_bundle(settings) -> bytes:
    """vl-convert's own Vega + Vega-Lite + Vega-Embed bundle, served from the site (no CDN)."""
    cache = Cache(tally_settings(settings)["TALLY_CACHE_PATH"], "js")
    cache_key = f"vega-bundle-{vl_convert.get_vegalite_versions()[-1]}-{os.path.getsize(vl_convert.__file__)}"
    bundle = cache.get_bytes(cache_key)
    if bundle is None:
        bundle = vl_convert.javascript_bundle().encode()
        cache.put_bytes(cache_key, bundle)
    return bundle
