"""Every link a package puts on the site is an http(s) address (issue 14, problem 3).

A licence `"path": "javascript:alert(1)"` became a `rel="license"` link on the
dataset page and every embed page, and ran in the reader's browser on a click. A
`data:`, `file:` or `vbscript:` address is no better. The site links licences,
sources, contributors, the homepage and the image as they are written, so each
must be an absolute http or https URL.
"""

from __future__ import annotations

import re

from tally.core.paths import quoted
from tally.privacy.checks.base import Audit

HTTP = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.I)
LINKED = (("licenses", ("path",)), ("sources", ("path",)), ("contributors", ("path",)))
PACKAGE_LINKS = ("homepage", "image")


def links(descriptor: dict) -> list[tuple[str, object]]:
    """(JSON path, value) of every address in a descriptor that the site turns into a link."""
    found = [(key, descriptor[key]) for key in PACKAGE_LINKS if key in descriptor]
    for key, fields in LINKED:
        entries = descriptor.get(key)
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, dict):
                found += [(f"{key}[{index}].{name}", entry[name]) for name in fields if name in entry]
    return found


class UrlScheme(Audit):
    type = "url-scheme"
    title = "Link is not an http(s) address"
    description = ("Every licence, source and contributor path, the homepage and the image are absolute "
                   "http:// or https:// addresses (no javascript:, data:, file: or relative paths).")
    hint = "write the full web address, starting with https://, or remove the path"

    def audit(self, dataset):
        for where, value in links(dataset.descriptor):
            if not isinstance(value, str) or not HTTP.match(value.strip()):
                yield self.problem(dataset, f'{where} "{quoted(value)}" is not an http(s) address', field=where)
