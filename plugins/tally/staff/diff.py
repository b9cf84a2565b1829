"""What changed in the published packages between two versions of the repository, as Markdown.

`publish.py diff` compares the datasets at a base commit (read with
`git show BASE:path`) with the working tree or another commit: for every
changed package its metadata, schema, rows added, removed and changed (per
period and dimension, revisions of earlier periods called out), suppression
changes and headline totals. `release` uses the same comparison against the
last archived release to write its changelog entry.

It reads only published files, so a raw small count can reach it only if one
was committed by mistake; even then it is never shown: any count from 1 to
threshold-1 is written as "fewer than <threshold> (not publishable)" and flagged (privacy/policy.py).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tally.core.annotations import CODES, SUPPRESSED
from tally.core.errors import DiffError
from tally.core.loading import DESCRIPTOR_NAMES, RELEASES_FOLDER
from tally.core.releases import WITHDRAWN_FILE
from tally.privacy.policy import Policy
from tally.staff import consistency

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's id for a tree with nothing in it
MAX_ROWS = 300  # rows listed per section; the rest are counted
MAX_CHARS = 60000  # a GitHub comment holds 65536 characters
METADATA_SKIP = ("resources", "views", "tally:changelog")


# -- where files come from ------------------------------------------------------

class DiskSource:
    """Files in a folder on disk (the working tree, or an archived release)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def read(self, relative: str) -> bytes | None:
        path = self.root / relative
        return path.read_bytes() if path.is_file() else None

    def files(self, prefix: str) -> list[str]:
        """Every file under `prefix`, as paths relative to the root."""
        folder = self.root / prefix
        return sorted(p.relative_to(self.root).as_posix() for p in folder.rglob("*") if p.is_file()) \
            if folder.is_dir() else []


class GitSource:
    """Files as committed at one revision."""

    def __init__(self, repo: Path, revision: str):
        self.repo, self.revision = Path(repo), revision

    def read(self, relative: str) -> bytes | None:
        result = subprocess.run(["git", "-C", str(self.repo), "show", f"{self.revision}:{relative}"],
                                capture_output=True)
        return result.stdout if result.returncode == 0 else None

    def files(self, prefix: str) -> list[str]:
        """Every file under `prefix` at this revision."""
        result = subprocess.run(["git", "-C", str(self.repo), "ls-tree", "-r", "--name-only", self.revision, "--",
                                 prefix + "/"], capture_output=True, text=True)
        return sorted(n for n in result.stdout.split("\n") if n) if result.returncode == 0 else []


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise DiffError(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


def default_base(repo: Path) -> tuple[str, str]:
    """The revision to compare with and how it was chosen: the merge base with main, else HEAD~1, else nothing."""
    for branch in ("main", "origin/main"):
        try:
            base = git(repo, "merge-base", "HEAD", branch).strip()
        except DiffError:
            continue
        head = git(repo, "rev-parse", "HEAD").strip()
        if base != head or git(repo, "status", "--porcelain", "--", ".").strip():
            return base, f"{base[:12]} (merge base with {branch})"
        break  # on main itself with nothing uncommitted: show the last commit
    try:
        base = git(repo, "rev-parse", "--verify", "--quiet", "HEAD~1").strip()
        return base, f"{base[:12]} (HEAD~1)"
    except DiffError:
        return EMPTY_TREE, "nothing (no earlier commit)"


def diff_repository(datasets: Path, base: str | None, head: str | None,
                    settings: dict | None = None) -> tuple[list[PackageDiff], str]:
    """Compare the packages under `datasets` between `base` (default: see default_base) and `head`
    (default: the working tree); return the diffs and how the base was chosen."""
    datasets = Path(datasets).resolve()
    try:
        repo = Path(git(datasets, "rev-parse", "--show-toplevel").strip())
        base, label = (base, base) if base else default_base(repo)
        git(repo, "rev-parse", "--verify", "--quiet", base + "^{tree}")
        return diff_packages(repo, base, head, datasets, settings), label
    except DiffError as error:
        raise DiffError(f"git: {error} (diff compares two versions of the repository; is {datasets} in one, "
                        "and does the base revision exist? In CI fetch the history: fetch-depth: 0)") from None


def changed_files(repo: Path, base: str, head: str | None, under: str) -> list[str]:
    """Paths under `under` that differ between base and head (or the working tree, untracked files included)."""
    if head:
        names = git(repo, "diff", "--name-only", "--no-renames", base, head, "--", under).split("\n")
    else:
        names = git(repo, "diff", "--name-only", "--no-renames", base, "--", under).split("\n")
        names += git(repo, "ls-files", "--others", "--exclude-standard", "--", under).split("\n")
    return sorted({n for n in names if n})


# -- a package, read as published files -------------------------------------------------

@dataclass
class PackageFiles:
    name: str
    descriptor: dict
    tables: dict[str, tuple[list[str], list[dict]]]  # resource name -> (header, rows of text)

    def fields(self, resource: str) -> list[dict]:
        entry = next((r for r in self.descriptor.get("resources", []) if r.get("name") == resource), {})
        schema = entry.get("schema") if isinstance(entry.get("schema"), dict) else {}
        return [f for f in schema.get("fields", []) if isinstance(f, dict)]

    def schema(self, resource: str) -> dict:
        entry = next((r for r in self.descriptor.get("resources", []) if r.get("name") == resource), {})
        return entry.get("schema") if isinstance(entry.get("schema"), dict) else {}

    def policy(self, settings: dict | None = None) -> Policy:
        """The disclosure Policy this version of the package declares, under the site settings."""
        return Policy.from_rules(self.descriptor.get("tally:disclosure"), settings)


def load_package(source, prefix: str, name: str) -> PackageFiles | None:
    """The package under `prefix` in `source` (descriptor plus its CSVs), or None if there is none."""
    base = f"{prefix}/" if prefix else ""
    for descriptor_name in DESCRIPTOR_NAMES:
        data = source.read(base + descriptor_name)
        if data is None:
            continue
        text = data.decode("utf-8")
        descriptor = json.loads(text) if descriptor_name.endswith(".json") else yaml.safe_load(text)
        tables = {}
        for entry in descriptor.get("resources", []):
            path = entry.get("path") if isinstance(entry, dict) else None
            if not isinstance(path, str) or not isinstance(entry.get("schema"), dict):
                continue
            raw = source.read(base + path)
            if raw is None:
                continue
            rows = list(csv.reader(io.StringIO(raw.decode(entry.get("encoding") or "utf-8-sig"), newline="")))
            header = rows[0] if rows else []
            tables[entry.get("name", path)] = (header, [dict(zip(header, r)) for r in rows[1:] if any(r)])
        return PackageFiles(name, descriptor, tables)
    return None


# -- the comparison -------------------------------------------------------------------------

@dataclass
class TableDiff:
    resource: str
    fields: list[dict]
    time: str | None
    dims: list[str]
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, str, str, str]] = field(default_factory=list)  # row, field, old, new
    suppression: list[tuple[dict, str, str, str]] = field(default_factory=list)
    old_periods: list[str] = field(default_factory=list)
    new_periods: list[str] = field(default_factory=list)
    headline: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after
    small: int = 0  # raw small counts found (never shown)
    policy: Policy = field(default_factory=Policy.from_rules)

    @property
    def periods_added(self) -> list[str]:
        return sorted({r[self.time] for r in self.added if self.time} - set(self.old_periods))

    @property
    def periods_revised(self) -> list[str]:
        """Periods published before whose rows changed, were added to or removed."""
        if not self.time:
            return []
        touched = {r[self.time] for r in self.removed} | {row[self.time] for row, *_ in self.changed}
        touched |= {row[self.time] for row, *_ in self.suppression}
        touched |= {r[self.time] for r in self.added if r[self.time] in self.old_periods}
        return sorted(touched)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.suppression)

    def to_dict(self) -> dict:
        """For `--json`: periods and numbers of rows and cells; the figures are only in the Markdown, under Policy."""
        return {"resource": self.resource, "periods_added": self.periods_added,
                "periods_revised": self.periods_revised, "rows_added": len(self.added),
                "rows_removed": len(self.removed), "values_changed": len(self.changed),
                "suppression_changes": len(self.suppression), "small_count_cells": self.small}


@dataclass
class PackageDiff:
    name: str
    status: str  # "added" | "removed" | "changed"
    title: str = ""
    old_version: str = ""
    new_version: str = ""
    metadata: list[tuple[str, str, str]] = field(default_factory=list)
    changelog: list[dict] = field(default_factory=list)
    schema: list[str] = field(default_factory=list)
    views: list[str] = field(default_factory=list)
    tables: list[TableDiff] = field(default_factory=list)
    archives_added: list[str] = field(default_factory=list)
    archives_changed: list[str] = field(default_factory=list)
    archive_differs: list[str] = field(default_factory=list)  # current files unlike releases/v<version>/
    backwards: list[str] = field(default_factory=list)  # version or changelog behind the base's
    archives_withdrawn: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def data_changed(self) -> bool:
        return any(t.has_changes for t in self.tables)

    @property
    def unreleased(self) -> bool:
        """Published rows changed but the version did not: /v<version>/ would no longer match the data."""
        return self.status == "changed" and self.data_changed and self.old_version == self.new_version

    @property
    def blocking(self) -> bool:
        """What `diff --check` (and so CI) refuses: a changed archive, a raw small count, an unreleased change."""
        return bool(self.archives_changed or self.archive_differs or self.backwards) or \
            any(t.small for t in self.tables) or self.unreleased

    def to_dict(self) -> dict:
        """For `--json`: what changed, by name and number of rows; property names, not their old and new values."""
        return {"name": self.name, "status": self.status, "title": self.title, "old_version": self.old_version,
                "new_version": self.new_version, "blocking": self.blocking, "unreleased": self.unreleased,
                "warnings": self.warnings, "metadata": [key for key, _, _ in self.metadata],
                "changelog": [{k: e.get(k) for k in ("version", "date", "kind", "note")} for e in self.changelog],
                "schema": self.schema, "views": self.views, "tables": [t.to_dict() for t in self.tables],
                "archives_added": self.archives_added, "archives_changed": self.archives_changed,
                "archives_withdrawn": self.archives_withdrawn, "archive_differs": self.archive_differs,
                "backwards": self.backwards}


def compare(old: PackageFiles | None, new: PackageFiles | None, settings: dict | None = None) -> PackageDiff:
    """Everything that differs between two versions of one package.

    Figures are shown under the stricter of the two versions' Policies: a threshold raised in
    this change already protects the rows of the version before it.
    """
    name = (new or old).name
    if new is None:
        return PackageDiff(name, "removed", title=str(old.descriptor.get("title", "")),
                           old_version=str(old.descriptor.get("version", "")))
    diff = PackageDiff(name, "added" if old is None else "changed", title=str(new.descriptor.get("title", "")),
                       old_version=str(old.descriptor.get("version", "")) if old else "",
                       new_version=str(new.descriptor.get("version", "")))
    old_descriptor = old.descriptor if old else {}
    for key in sorted(set(old_descriptor) | set(new.descriptor)):
        if key in METADATA_SKIP or old_descriptor.get(key) == new.descriptor.get(key):
            continue
        diff.metadata.append((key, _compact(old_descriptor.get(key)), _compact(new.descriptor.get(key))))
    old_versions = {str(e.get("version")) for e in old_descriptor.get("tally:changelog", []) if isinstance(e, dict)}
    diff.changelog = [e for e in new.descriptor.get("tally:changelog", [])
                      if isinstance(e, dict) and str(e.get("version")) not in old_versions]
    diff.views = _views(old_descriptor.get("views", []), new.descriptor.get("views", []))
    policy = max((p.policy(settings) for p in (old, new) if p is not None), key=lambda p: p.threshold)
    for resource in sorted(set(old.tables if old else {}) | set(new.tables)):
        diff.schema += _schema_changes(resource, old.schema(resource) if old else {}, new.schema(resource))
        if resource not in new.tables:
            diff.schema.append(f"table `{_md(resource)}` removed")
            continue
        table = _table_diff(resource, old, new, policy)
        diff.tables.append(table)
    if diff.unreleased:
        diff.warnings.append(f"the data changed but `version` is still {diff.new_version}: run "
                             f"`python publish.py release {name}` (or `--correction`) before merging")
    if diff.new_version and diff.new_version != diff.old_version and diff.new_version not in {
            str(e.get("version")) for e in new.descriptor.get("tally:changelog", []) if isinstance(e, dict)}:
        diff.warnings.append(f"version {diff.new_version} has no `tally:changelog` entry")
    small = sum(t.small for t in diff.tables)
    if small:
        diff.warnings.append(f"{small} count cell(s) from 1 to {policy.threshold - 1} are in the files (not shown here): "
                             "they must never be published; add data with `publish.py intake`, which suppresses them")
    return diff


def _compact(value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _views(old: list, new: list) -> list[str]:
    before = {str(v.get("name")): v for v in old if isinstance(v, dict)}
    after = {str(v.get("name")): v for v in new if isinstance(v, dict)}
    lines = [f"chart `{_md(n)}` added" for n in sorted(set(after) - set(before))]
    lines += [f"chart `{_md(n)}` removed" for n in sorted(set(before) - set(after))]
    lines += [f"chart `{_md(n)}` changed" for n in sorted(set(before) & set(after)) if before[n] != after[n]]
    return lines


def _schema_changes(resource: str, old: dict, new: dict) -> list[str]:
    """Lines of Markdown (dataset text escaped) naming each schema difference."""
    r = _md(resource)
    if not old:
        return [f"table `{r}` added"] if new else []
    lines = []
    before = {str(f.get("name")): f for f in old.get("fields", []) if isinstance(f, dict)}
    after = {str(f.get("name")): f for f in new.get("fields", []) if isinstance(f, dict)}
    for name in [n for n in after if n not in before]:
        lines.append(f"`{r}`: field `{_md(name)}` added ({_md(after[name].get('type', 'any'))}, "
                     f"{_md(after[name].get('tally:role', 'no role'))})")
    for name in [n for n in before if n not in after]:
        lines.append(f"`{r}`: field `{_md(name)}` removed")
    for name in [n for n in after if n in before and after[n] != before[n]]:
        for key in sorted(set(before[name]) | set(after[name])):
            if before[name].get(key) != after[name].get(key):
                lines.append(f"`{r}`: field `{_md(name)}` {_md(key)}: {_md(_short(_compact(before[name].get(key))))}"
                             f" → {_md(_short(_compact(after[name].get(key))))}")
    for key in sorted((set(old) | set(new)) - {"fields"}):
        if old.get(key) != new.get(key):
            lines.append(f"`{r}`: {_md(key)}: {_md(_short(_compact(old.get(key))))} → "
                         f"{_md(_short(_compact(new.get(key))))}")
    return lines


def _table_diff(resource: str, old: PackageFiles | None, new: PackageFiles, policy: Policy) -> TableDiff:
    fields = new.fields(resource)
    roles = {f["name"]: f.get("tally:role") for f in fields}
    time = next((f["name"] for f in fields if f.get("tally:period")), None)
    key_fields = new.schema(resource).get("primaryKey") or [n for n, r in roles.items() if r == "dimension"]
    key_fields = [key_fields] if isinstance(key_fields, str) else list(key_fields)
    table = TableDiff(resource, fields, time, key_fields, policy=policy)
    counts = {f["name"] for f in fields if f.get("tally:kind") == "count"}
    if old is not None:
        counts |= {f["name"] for f in old.fields(resource) if f.get("tally:kind") == "count"}
    annotations = {f["name"]: f.get("tally:annotation") for f in fields}
    _, new_rows = new.tables[resource]
    _, old_rows = old.tables.get(resource, ([], [])) if old else ([], [])
    table.small = sum(1 for r in new_rows for n in counts if policy.is_small(r.get(n)))
    before = {tuple(r.get(k, "") for k in key_fields): r for r in old_rows}
    after = {tuple(r.get(k, "") for k in key_fields): r for r in new_rows}
    table.added = [after[k] for k in after if k not in before]
    table.removed = [before[k] for k in before if k not in after]
    measures = [f["name"] for f in fields if f.get("tally:role") == "measure" or f["name"] in counts]
    for k in after:
        if k not in before:
            continue
        a, b = before[k], after[k]
        for name in measures:
            old_value, new_value = a.get(name, ""), b.get(name, "")
            if _same(old_value, new_value):
                continue
            note = annotations.get(name)
            hidden_before = old_value == "" and note and a.get(note) == SUPPRESSED
            hidden_after = new_value == "" and note and b.get(note) == SUPPRESSED
            if hidden_before != hidden_after:
                table.suppression.append((b, name, old_value, new_value))
            else:
                table.changed.append((b, name, old_value, new_value))
    if time:
        table.old_periods = sorted({r.get(time, "") for r in old_rows})
        table.new_periods = sorted({r.get(time, "") for r in new_rows})
    table.headline = _headlines(fields, old_rows, new_rows, time, counts, policy)
    return table


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def _headlines(fields, old_rows, new_rows, time, counts, policy: Policy) -> list[tuple[str, str, str]]:
    """Each count or quantity: the latest period's figure at every total level, before and after."""
    if not time:
        return []
    dims = [f for f in fields if f.get("tally:role") == "dimension" and f["name"] != time]
    measures = [f for f in fields if f.get("tally:kind") in ("count", "quantity")]
    out = []
    for m in measures:
        out.append((m.get("title") or m["name"], _headline(old_rows, dims, m, time, policy),
                    _headline(new_rows, dims, m, time, policy)))
    return out


def _headline(rows, dims, measure, time, policy: Policy) -> str:
    if not rows:
        return "(none)"
    latest = max(r.get(time, "") for r in rows)
    chosen = [r for r in rows if r.get(time) == latest
              and all(r.get(d["name"]) == d["tally:total"] for d in dims if d.get("tally:total"))]
    values = [r.get(measure["name"], "") for r in chosen]
    published = [int(float(v)) for v in values if v not in ("", None)]
    hidden = len(values) - len(published)
    if len(values) == 1:
        return f"{_display_number(values[0], measure, policy)} ({latest})"
    text = f"{sum(published):,} ({latest}, sum of {len(published)} published cells"
    return text + (f"; {hidden} suppressed not included)" if hidden else ")")


def _display_number(value, measure, policy: Policy) -> str:
    if value in ("", None):
        return "suppressed"
    if measure.get("tally:kind") == "count" and policy.is_small(value):
        return policy.hidden_text
    try:
        return f"{int(float(value)):,}"
    except ValueError:
        return value


# -- the report -----------------------------------------------------------------------------

def diff_packages(repo: Path, base: str, head: str | None, datasets: Path,
                  settings: dict | None = None) -> list[PackageDiff]:
    """Compare every changed package under `datasets` between `base` and `head` (or the working tree)."""
    repo = Path(repo).resolve()
    under = Path(datasets).resolve().relative_to(repo).as_posix()
    files = changed_files(repo, base, head, under)
    names = sorted({f[len(under) + 1:].split("/")[0] for f in files if f.startswith(under + "/")} - {""})
    old_source = GitSource(repo, base)
    new_source = GitSource(repo, head) if head else DiskSource(repo)
    diffs = []
    for name in names:
        prefix = f"{under}/{name}"
        diff_ = compare(load_package(old_source, prefix, name), load_package(new_source, prefix, name), settings)
        for f in files:
            parts = f[len(prefix) + 1:].split("/")
            if f.startswith(prefix + "/") and parts[0] == RELEASES_FOLDER and len(parts) > 2:
                version = parts[1]
                existed = old_source.read(f) is not None or any(
                    old_source.read(f"{prefix}/{RELEASES_FOLDER}/{version}/{d}") for d in DESCRIPTOR_NAMES)
                withdrawn = new_source.read(f"{prefix}/{RELEASES_FOLDER}/{version}/{WITHDRAWN_FILE}") is not None
                # `publish.py withdraw` deletes an archive's files on purpose and leaves its notice.
                target = (diff_.archives_withdrawn if withdrawn else
                          diff_.archives_changed if existed else diff_.archives_added)
                if version not in target:
                    target.append(version)
        if diff_.archives_changed:
            diff_.warnings.append("archived release(s) " + ", ".join(diff_.archives_changed) + " changed: a "
                                  "published release must never change; restore the files from the base branch")
        _check_history(diff_, old_source, new_source, prefix, name)
        diffs.append(diff_)
    return diffs


def _check_history(diff_: PackageDiff, old_source, new_source, prefix: str, name: str) -> None:
    """The current version's archive equals the current files; the version and changelog only move forward."""
    old, new = load_package(old_source, prefix, name), load_package(new_source, prefix, name)
    if new is None:
        return
    version = str(new.descriptor.get("version") or "")
    diff_.archive_differs = consistency.archive_mismatches(new_source, prefix, version) if version else []
    if diff_.archive_differs:
        diff_.warnings.append(f"version {version} is archived in releases/v{version}/, but "
                              + ", ".join(diff_.archive_differs) + " differ(s) from it: the site would serve other "
                              f"figures than /v{version}/. After a merge, take main's datapackage.json and run "
                              f"`python publish.py release {name}` again (README, \"After a merge conflict\")")
    diff_.backwards = consistency.went_backwards(old.descriptor if old else {}, new.descriptor)
    for problem in diff_.backwards:
        diff_.warnings.append(f"{problem}: a release never goes back; take main's datapackage.json and run "
                              f"`python publish.py release {name}` again")


def render(diffs: list[PackageDiff], base_label: str = "") -> str:
    """The Markdown report for a pull request comment."""
    lines = ["# What changes in the published data", ""]
    if base_label:
        lines += [f"Compared with `{_md(base_label)}`.", ""]
    if not diffs:
        lines.append("No dataset changed.")
    for d in diffs:
        lines += _render_package(d)
    text = "\n".join(lines).rstrip() + "\n"
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit("\n", 1)[0] + "\n\n… (report cut short: run `python publish.py diff` " \
                                                      "locally to see all of it)\n"
    return text


def _render_package(d: PackageDiff) -> list[str]:
    version = {"added": f"new dataset, version {d.new_version}", "removed": f"removed (was version {d.old_version})",
               "changed": f"version {d.old_version} → {d.new_version}" if d.old_version != d.new_version
               else f"version {d.new_version}"}[d.status]
    lines = [f"## `{d.name}`: {_md(d.title)}", "", f"*{version}*", ""]
    for warning in d.warnings:  # Tally's own words; the only dataset text in them is its folder name
        lines.append(f"> ⚠️ {warning}")
    if d.warnings:
        lines.append("")
    summary = []
    for t in d.tables:
        parts = [f"{len(t.added)} row(s) added" + (f" ({', '.join(t.periods_added)})" if t.periods_added else ""),
                 f"{len(t.removed)} removed", f"{len(t.changed)} value(s) changed",
                 f"{len(t.suppression)} suppression change(s)"]
        summary.append(f"- `{t.resource}`: " + ", ".join(parts))
    lines += summary + ([""] if summary else [])
    if d.changelog:
        lines += ["### Changelog", ""]
        lines += [f"- **{_md(e.get('version'))}** ({_md(e.get('date', ''))}, {_md(e.get('kind', 'release'))}): "
                  f"{_md(e.get('note', ''))}" for e in d.changelog] + [""]
    if d.metadata:
        lines += ["### Metadata", "", "| property | before | after |", "|---|---|---|"]
        lines += [f"| `{k}` | {_md(_short(a))} | {_md(_short(b))} |" for k, a, b in d.metadata] + [""]
    if d.schema or d.views:
        lines += ["### Schema and charts", ""] + [f"- {s}" for s in d.schema + d.views] + [""]
    for t in d.tables:
        lines += _render_table(t)
    if d.archives_added or d.archives_withdrawn:
        lines += (["### Archived releases", ""] + [f"- {v} added" for v in d.archives_added]
                  + [f"- {v} withdrawn" for v in d.archives_withdrawn] + [""])
    return lines


def _render_table(t: TableDiff) -> list[str]:
    lines = []
    by_name = {f["name"]: f for f in t.fields}
    shown = [f["name"] for f in t.fields if f.get("tally:role") != "annotation"] or [f["name"] for f in t.fields]
    if t.added:
        lines += [f"### Rows added to `{t.resource}`", ""]
        for period, rows in _by_period(t, t.added):
            label = " (new period)" if period and period not in t.old_periods else " (revision: period published before)"
            lines += [f"#### {_md(period) if period else 'Rows'}{label if period else ''}", ""]
            lines += _rows_table(t, rows, shown, by_name)
    if t.removed:
        lines += [f"### Rows removed from `{t.resource}`", ""]
        for period, rows in _by_period(t, t.removed):
            lines += [f"#### {_md(period)}", ""] if period else []
            lines += _rows_table(t, rows, shown, by_name)
    if t.changed:
        lines += [f"### Revised figures in `{t.resource}` (published before)", "",
                  "| period | row | column | before | after |", "|---|---|---|---|---|"]
        for row, name, old, new in t.changed[:MAX_ROWS]:
            lines.append(f"| {_md(row.get(t.time, '')) if t.time else ''} | {_md(_row_label(t, row))} | "
                         f"{_md(_title(by_name, name))} | {_cell(by_name, name, old, row, False, t.policy)} | "
                         f"{_cell(by_name, name, new, row, True, t.policy)} |")
        lines += _more(t.changed) + [""]
    if t.suppression:
        lines += [f"### Suppression changes in `{t.resource}`", "",
                  "| period | row | column | before | after |", "|---|---|---|---|---|"]
        for row, name, old, new in t.suppression[:MAX_ROWS]:
            before = "suppressed" if old == "" else _cell(by_name, name, old, row, False, t.policy)
            after = "suppressed" if new == "" else _cell(by_name, name, new, row, True, t.policy)
            lines.append(f"| {_md(row.get(t.time, '')) if t.time else ''} | {_md(_row_label(t, row))} | "
                         f"{_md(_title(by_name, name))} | {before} | {after} |")
        lines += _more(t.suppression) + [""]
    if t.headline and t.has_changes:
        lines += [f"### Headline figures in `{t.resource}` (latest period)", "", "| figure | before | after |",
                  "|---|---|---|"]
        lines += [f"| {_md(label)} | {_md(a)} | {_md(b)} |" for label, a, b in t.headline] + [""]
    return lines


def _by_period(t: TableDiff, rows: list[dict]):
    if not t.time:
        return [("", rows)]
    periods = sorted({r.get(t.time, "") for r in rows})
    return [(p, [r for r in rows if r.get(t.time, "") == p]) for p in periods]


def _rows_table(t: TableDiff, rows: list[dict], shown: list[str], by_name: dict) -> list[str]:
    columns = [n for n in shown if n != t.time]
    lines = ["| " + " | ".join(_md(_title(by_name, n)) for n in columns) + " |",
             "|" + "---|" * len(columns)]
    for row in rows[:MAX_ROWS]:
        lines.append("| " + " | ".join(_cell(by_name, n, row.get(n, ""), row, True, t.policy) for n in columns) + " |")
    return lines + _more(rows) + [""]


def _more(items) -> list[str]:
    return ["", f"… and {len(items) - MAX_ROWS} more"] if len(items) > MAX_ROWS else []


def _row_label(t: TableDiff, row: dict) -> str:
    return " · ".join(str(row.get(k, "")) for k in t.dims if k != t.time)


def _title(by_name: dict, name: str) -> str:
    return str(by_name.get(name, {}).get("title") or name)


def _cell(by_name: dict, name: str, value: str, row: dict, current: bool, policy: Policy) -> str:
    """A cell as the report shows it: a small count is never printed; an empty measure says why."""
    f = by_name.get(name, {})
    if f.get("tally:role") == "measure" or f.get("tally:kind"):
        if value in ("", None):
            code = row.get(f.get("tally:annotation") or "", "") if current else ""
            entry = CODES.get(code)
            return entry.label.lower() if entry and entry.empty else ("suppressed" if not current else "empty")
        if f.get("tally:kind") == "count" and policy.is_small(value):
            return f"⚠️ {policy.hidden_text}"
        note = row.get(f.get("tally:annotation") or "", "") if current else ""
        return _md(value) + (f" ({note})" if note else "")
    return _md(value)


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _md(value) -> str:
    """Dataset text made safe inside a Markdown table cell of a GitHub comment."""
    text = str(value if value is not None else "")
    for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("\r", " "), ("\n", " "),
                 ("`", "'"), ("@", "@\u200b")):
        text = text.replace(a, b)
    return text
