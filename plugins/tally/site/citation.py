"""How to cite a dataset: APA-style text and BibTeX naming the version and its stable address.

The address cited is the archived release, /datasets/<slug>/v<version>/, which is
never overwritten (DESIGN.md, "Pages and URLs"), so a citation keeps pointing at
the figures the writer saw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tally.core.dataset import Dataset
from tally.site.text import absolute_url

PUBLISHER_ROLES = ("publisher", "author", "creator")
BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                  "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


@dataclass(frozen=True)
class Citation:
    author: str
    year: str
    title: str
    version: str
    url: str  # the stable address of this version
    text: str  # APA-style
    bibtex: str


def version_path(dataset: Dataset) -> str:
    """The site path of the dataset's current version: datasets/<slug>/v<version>/ (or its page)."""
    if dataset.version:
        return f"datasets/{dataset.slug}/v{dataset.version}/"
    return f"datasets/{dataset.slug}/"


def cite(dataset: Dataset, publisher: str, site_url: str) -> Citation:
    """The citation for the dataset's current version."""
    author = _author(dataset) or publisher
    year = dataset.updated[:4] if re.match(r"^\d{4}", dataset.updated or "") else "n.d."
    url = absolute_url(site_url, version_path(dataset))
    kind = "Data set; illustrative sample data" if dataset.sample else "Data set"
    version = f" (Version {dataset.version})" if dataset.version else ""
    text = f"{_sentence(author)} ({year}). {dataset.title}{version} [{kind}]. {_sentence(publisher)} {url}"
    if author == publisher:
        text = f"{_sentence(author)} ({year}). {dataset.title}{version} [{kind}]. {url}"
    return Citation(author=author, year=year, title=dataset.title, version=dataset.version, url=url,
                    text=text, bibtex=_bibtex(dataset, author, publisher, year, url, kind))


def _author(dataset: Dataset) -> str:
    contributors = dataset.get("contributors") or []
    for role in PUBLISHER_ROLES:
        for contributor in contributors:
            if isinstance(contributor, dict) and contributor.get("title") and (
                    contributor.get("role") == role or role in (contributor.get("roles") or [])):
                return str(contributor["title"])
    return ""


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def _bibtex(dataset: Dataset, author: str, publisher: str, year: str, url: str, kind: str) -> str:
    key = re.sub(r"[^A-Za-z0-9_.:-]", "-", f"{dataset.slug}-v{dataset.version}" if dataset.version else dataset.slug)
    fields = [("author", "{" + _tex(author) + "}"), ("title", "{" + _tex(dataset.title) + "}"),
              ("year", _tex(year))]
    if dataset.version:
        fields.append(("version", _tex(dataset.version)))
    fields += [("publisher", "{" + _tex(publisher) + "}"), ("url", url.replace("%", r"\%").replace("#", r"\#")),
               ("note", _tex(kind))]
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"


def _tex(text: str) -> str:
    """Escape LaTeX's special characters so a title such as "Arrests & charges" survives."""
    return "".join(BIBTEX_SPECIAL.get(c, c) for c in str(text))
