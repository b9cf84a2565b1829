"""A table's typed rows, read once from its file and held compactly (issue 12, "Memory bounded by design").

Frictionless's `read_rows()` returns a list of Row objects, and a dict per row on top of it: a
1,000,000-row, 8-column table took 1.7 KB a row, and every page, audit and download that
copied the rows again (a chart's rows, the JSON download) held it once more, 2.1 GB in all.
`stream_rows` reads a file row by row and holds none of it; `Rows` keeps a table once, one
column at a time: each distinct value of a column stored once, and each cell a 4-byte index
into them (a table of repeated levels and counts costs about 4 bytes a cell). Iterating
`Rows` gives the same dicts, made one at a time, so a reader that looks at each row once
holds one row.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence


def stream_rows(resource) -> Iterator[dict]:
    """Each typed row of a frictionless resource as a dict, read from its file one at a time."""
    if resource.closed:
        with resource:
            yield from (row.to_dict() for row in resource.row_stream)
    else:  # already open (a caller reading it too): read it through, as frictionless's read_rows does
        yield from (row.to_dict() for row in resource.row_stream)


class Rows(Sequence):
    """Typed rows held column by column, each distinct value once; reads as a sequence of dicts."""

    def __init__(self, names: list[str]):
        self.names = list(names)
        self._values: list[list] = [[] for _ in self.names]  # per column: its distinct values
        self._index: list[dict] = [{} for _ in self.names]  # per column: (type, value) -> its place in _values
        self._codes = [array("I") for _ in self.names]  # per column: one index per row
        self._length = 0

    @classmethod
    def read(cls, resource, names: list[str]) -> Rows:
        """Read a frictionless resource's rows (streamed) into a Rows of the fields `names`."""
        rows = cls(names)
        for row in stream_rows(resource):
            rows.append(row)
        return rows

    def append(self, row: dict) -> None:
        for column, name in enumerate(self.names):
            value = row.get(name)
            index = self._index[column]
            try:
                # Keyed by type too: 1, 1.0 and True are equal keys but not the same cell.
                code = index.get((type(value), value))
                if code is None:
                    code = index[(type(value), value)] = self._add(column, value)
            except TypeError:  # a list or dict cell (array and object fields): kept as it is
                code = self._add(column, value)
            self._codes[column].append(code)
        self._length += 1

    def _add(self, column: int, value) -> int:
        self._values[column].append(value)
        return len(self._values[column]) - 1

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self._row(i) for i in range(*item.indices(self._length))]
        if item < 0:
            item += self._length
        if not 0 <= item < self._length:
            raise IndexError("row index out of range")
        return self._row(item)

    def _row(self, i: int) -> dict:
        return {name: self._values[c][self._codes[c][i]] for c, name in enumerate(self.names)}

    def __iter__(self) -> Iterator[dict]:
        names = self.names
        columns = [map(values.__getitem__, codes) for values, codes in zip(self._values, self._codes)]
        for cells in zip(*columns):
            yield dict(zip(names, cells))

    def column(self, name: str) -> Iterator:
        """Every value of one column, in row order, without building the rows."""
        c = self.names.index(name)
        return map(self._values[c].__getitem__, self._codes[c])

    def levels(self, name: str) -> list:
        """The distinct values of one column (each once, in the order first seen)."""
        return list(self._values[self.names.index(name)])

    def __eq__(self, other) -> bool:
        if isinstance(other, (Rows, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None
