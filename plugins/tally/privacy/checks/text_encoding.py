"""Data files must decode in their declared encoding, UTF-8 when none is declared.

Frictionless guesses an encoding when none is declared, so a Latin-1 file would
pass it and then reach the site as mojibake; published CSVs are UTF-8.
"""

from __future__ import annotations

import codecs

from tally.privacy.checks.base import Audit


class TextEncoding(Audit):
    type = "text-encoding"
    title = "File is not in its declared encoding"
    description = "A data file decodes in the encoding its resource declares, or in UTF-8 when it declares none."
    hint = "save the file as UTF-8 (in Excel: Save As, 'CSV UTF-8'), or declare its `encoding`"

    def audit(self, dataset):
        for resource in dataset.resources:
            if not resource.tabular or not resource.file.is_file():
                continue
            encoding = resource.descriptor.get("encoding") or "utf-8"
            try:
                codecs.lookup(encoding)
            except LookupError:
                yield self.problem(dataset, f'resource "{resource.name}" declares unknown encoding "{encoding}"',
                                   resource=resource)
                continue
            data = resource.file.read_bytes()
            try:
                data.decode(encoding)
            except UnicodeDecodeError as error:
                row = data[: error.start].count(b"\n") + 1
                yield self.problem(dataset, f"the file is not valid {encoding}: byte 0x{data[error.start]:02x} "
                                   f"at line {row} cannot be read", resource=resource, row=row)
