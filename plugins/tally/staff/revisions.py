"""What `intake --replace` would change in figures already in the dataset, and which of them were released.

Issue 13, problem 2: following intake's own hint, `--replace` rewrote a
published quarter with the next quarter's figures, marked never-released
figures R, and said "revised" when nothing changed. So a replacement is first
shown as a preview (how many published values change, how many would become
hidden) and written only when staff confirm with --yes; R goes only on a
figure that differs from what the latest archived release published; and a
released figure that would have to be hidden stops intake with what happened
and who to ask, since hiding a figure the public already has protects nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field

from tally.core.dataset import Resource
from tally.core.releases import latest_release


@dataclass
class Preview:
    """What replacing periods would do to the values the dataset holds for them (never the values)."""

    periods: list[str]
    published: int = 0  # measure values the dataset shows now for these periods
    changed: int = 0  # of them, values that would change (hidden included)
    hidden: int = 0  # of them, values that would become hidden
    shown: int = 0  # hidden values that would be shown (a never-released period only)
    released: str | None = None  # the archived release the periods were published in, if any

    def to_dict(self) -> dict:
        """Numbers of values, as the sentence gives them: how many change, never what they were or become."""
        return asdict(self)

    def sentence(self) -> str:
        text = f"{self.changed} of {self.published} published values would change"
        if self.hidden:
            text += f"; {self.hidden} would become hidden"
        if self.shown:
            text += f"; {self.shown} hidden values would be shown"
        return text


@dataclass
class HiddenRelease:
    """Released figures that the new figures would have to hide: where they are, never what they were."""

    version: str
    cells: list[str] = field(default_factory=list)


def released_rows(folder, resource: Resource, periods: list[str], key) -> tuple[str | None, dict]:
    """The latest archived release's rows of `periods`, by cell key, and its version (None: never released)."""
    latest = latest_release(folder)
    if latest is None:
        return None, {}
    path = latest.folder / resource.path
    if not path.is_file():
        return latest.version, {}
    text = path.read_bytes().decode("utf-8-sig")
    time = resource.time_field.name
    rows = [r for r in csv.DictReader(io.StringIO(text, newline="")) if r.get(time) in periods]
    return latest.version, {key(resource, r): r for r in rows}


def mark_revisions(resource: Resource, released: dict, new_rows: list[dict], text, key) -> None:
    """R on each measure whose new figure differs from the one the release published (if the notes allow R)."""
    for row in new_rows:
        before = released.get(key(resource, row))
        if before is None:
            continue
        for f in resource.fields_with_role("measure"):
            note = resource.field(f.annotation) if f.annotation else None
            if note is None or "R" not in note.levels or row.get(f.name) is None or row.get(f.annotation):
                continue
            if before.get(f.name, "") not in ("", text(row[f.name])):
                row[f.annotation] = "R"


def preview(resource: Resource, old_rows: list[dict], new_rows: list[dict], periods: list[str], text,
            key, version: str | None) -> Preview:
    """Count the values of `periods` that the new rows change, hide or show."""
    result = Preview(periods, released=version)
    time = resource.time_field.name
    new = {key(resource, r): r for r in new_rows}
    for old in old_rows:
        if old[time] not in periods:
            continue
        row = new.get(key(resource, old), {})
        for f in resource.fields_with_role("measure"):
            before, after = old.get(f.name, ""), text(row.get(f.name))
            if before == "" and after != "":
                result.shown += 1
            if before == "":
                continue
            result.published += 1
            if after != before:
                result.changed += 1
                result.hidden += after == ""
    return result


def hidden_release_cells(resource: Resource, released: dict, new_rows: list[dict], key, version: str,
                         describe) -> HiddenRelease | None:
    """Cells the release published that the new rows leave empty (a revision that made a figure small)."""
    found = HiddenRelease(version)
    for row in new_rows:
        before = released.get(key(resource, row))
        if before is None:
            continue
        for f in resource.fields_with_role("measure"):
            if before.get(f.name, "") != "" and row.get(f.name) is None:
                found.cells.append(f'"{f.title}" for {describe(resource, key(resource, row))}')
    return found if found.cells else None
