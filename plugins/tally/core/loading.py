"""Find and load data packages from local folders, refusing anything remote or unsafe.

Loading never fetches: frictionless would download an `http(s)` path, so every
path in a descriptor is checked here first (DESIGN.md, "Data flow").
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path

import yaml
from frictionless import FrictionlessException, Package

from tally.core.dataset import Dataset, Field, Resource, View
from tally.core.limits import LimitExceeded, NoAliasLoader, check_size, nesting, scan_table
from tally.core.paths import DATASET_NAME, FORMAT, NAME, RESERVED_DATASET_NAMES, VERSION, name_problem, quoted
from tally.core.report import RELEASES_FOLDER, Problem, dataset_file
from tally.core.settings import DEFAULTS

DESCRIPTOR_NAMES = ("datapackage.json", "datapackage.yaml", "datapackage.yml")
# A staff command's writes in progress (staff/staging.py): never a dataset, and a dataset holding
# one is half-written until the next staff command (or `publish.py recover`) finishes or undoes it.
TRANSACTION_FOLDER = ".tally-transaction"
STAGING_FOLDER = ".tally-transaction.staging"
URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def find_dataset_folders(root: Path) -> list[Path]:
    """Return every folder under `root` (itself included) that holds a descriptor, sorted.

    A folder whose descriptor is misnamed (datapackage.JSON) is returned too, so that
    loading refuses it by name instead of the dataset silently vanishing (issue 14).
    """
    root = Path(root)
    if _descriptor_like(root):
        return [root]
    found = {p.parent for p in root.rglob("*") if p.name.lower() in DESCRIPTOR_NAMES and p.is_file()}
    return sorted(f for f in found if not is_archived_release(f) and not _in_transaction(f, root))


def _in_transaction(folder: Path, root: Path) -> bool:
    return any(part.startswith(TRANSACTION_FOLDER) for part in folder.relative_to(root).parts)


def pending_writes(folder: Path) -> Path | None:
    """The transaction or staging folder an interrupted staff command left in a dataset, if any."""
    return next((Path(folder) / n for n in (TRANSACTION_FOLDER, STAGING_FOLDER) if (Path(folder) / n).exists()),
                None)


def is_archived_release(folder: Path) -> bool:
    """True for <dataset>/releases/v<version>/: a past release of that dataset, not a dataset itself.

    The dataset's own descriptor may be misnamed (datapackage.JSON): its archives are
    still archives, never datasets published at /datasets/v1.0.0/.
    """
    folder = Path(folder)
    return folder.parent.name == RELEASES_FOLDER and bool(_descriptor_like(folder.parent.parent))


def descriptor_file(folder: Path) -> Path | None:
    """The folder's descriptor, named exactly as the standard says (case matters, on every file system)."""
    try:
        names = set(os.listdir(folder))
    except OSError:
        return None
    return next((Path(folder) / n for n in DESCRIPTOR_NAMES if n in names and (Path(folder) / n).is_file()), None)


def _descriptor_like(folder: Path) -> list[str]:
    """Names of files in `folder` that look like a descriptor in any case (datapackage.JSON)."""
    try:
        return sorted(n for n in os.listdir(folder) if n.lower() in DESCRIPTOR_NAMES)
    except OSError:
        return []


def load_dataset(folder: Path, settings: dict | None = None) -> tuple[Dataset | None, list[Problem]]:
    """Load one dataset folder; return the dataset, or None and the problems that stopped it."""
    settings = {**DEFAULTS, **(settings or {})}
    folder = Path(folder).resolve()
    name = quoted(folder.name, 100)  # a folder name can hold a newline: never echo it raw
    path = descriptor_file(folder)
    if path is None and _descriptor_like(folder):
        misnamed = _descriptor_like(folder)[0]
        return None, [_problem("descriptor-name", name, dataset_file(folder, folder / misnamed),
                               f'the descriptor is named "{quoted(misnamed)}"; Tally and Frictionless read only '
                               + ", ".join(DESCRIPTOR_NAMES), f"rename it to {misnamed.lower()}")]
    if path is None:
        return None, [_problem("no-descriptor", name, None,
                               "the folder has no datapackage.json or datapackage.yaml",
                               "add a descriptor (see docs/conventions.md) or remove the folder")]
    shown = dataset_file(folder, path)
    pending = pending_writes(folder)
    if pending is not None:
        return None, [_problem("interrupted-write", name, pending.name,
                               "a staff command (intake, release, suppress) was interrupted while writing this "
                               "dataset, so its files may be half old and half new",
                               f"run `python publish.py recover {name}`: it finishes or undoes that change")]
    descriptor, problem = _read_descriptor(path, name, shown, settings)
    if problem:
        return None, [problem]
    problems = list(_unsafe_names(descriptor, folder, name, shown)) + list(_unsafe_paths(descriptor, folder, name, shown))
    if problems:
        return None, problems
    problems = list(_oversized_tables(descriptor, folder, name, settings))
    if problems:
        return None, problems
    try:
        package = Package(descriptor, basepath=str(folder))
    except FrictionlessException as error:
        reasons = "; ".join(reason.message for reason in getattr(error, "reasons", []) or [])
        problem = Problem.from_frictionless(error.error, dataset=name, file=shown, resource=None)
        if reasons:
            problem = dataclasses.replace(problem, message=f"{problem.message}: {reasons}")
        return None, [problem]
    unnamed = [_problem("unsafe-name", name, shown, f'resources[{i}] has no usable name ("{quoted(r.name)}" was '
                        f"made from its path): it {name_problem(r.name, NAME)}",
                        'give the resource a "name", e.g. identifications', field=f"resources[{i}].name")
               for i, r in enumerate(package.resources) if name_problem(r.name, NAME)]
    if unnamed:
        return None, unnamed
    resources = [_resource(r, folder) for r in package.resources]
    views = [_view(v, resources) for v in descriptor.get("views", []) if isinstance(v, dict)]
    dataset = Dataset(folder=folder, descriptor_file=path, descriptor=descriptor,
                      resources=resources, views=views)
    for resource in resources:
        resource.frictionless.package = package  # foreign keys need the siblings
    return dataset, []


def _problem(rule, dataset, file, message, hint, **where) -> Problem:
    return Problem(rule=rule, message=message, dataset=dataset, file=file, hint=hint, **where)


def _read_descriptor(path: Path, name: str, shown: str, settings: dict) -> tuple[dict | None, Problem | None]:
    size, most = path.stat().st_size, settings["TALLY_MAX_DESCRIPTOR_BYTES"]
    if size > most:
        return None, _limit_problem(name, shown, f"the descriptor is {size:,} bytes, more than {most:,}",
                                    "TALLY_MAX_DESCRIPTOR_BYTES")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return None, _problem("descriptor-encoding", name, shown,
                              f"the descriptor is not UTF-8 (byte {error.start})",
                              "save the descriptor as UTF-8")
    try:
        if path.suffix == ".json":
            descriptor = json.loads(text)
        else:
            descriptor = yaml.load(text, Loader=NoAliasLoader)  # noqa: S506 (a safe loader without aliases)
    except json.JSONDecodeError as error:
        return None, _problem("descriptor-syntax", name, shown,
                              f"the descriptor is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
                              "fix the JSON syntax (double quotes, no trailing commas)", row=error.lineno)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        return None, _problem("descriptor-syntax", name, shown,
                              f"the descriptor is not valid YAML: {quoted(getattr(error, 'problem', error), 200)}",
                              "fix the YAML syntax (anchors and aliases are not allowed)", row=line)
    except RecursionError:
        return None, _limit_problem(name, shown, "the descriptor nests objects and lists too deeply to read",
                                    "TALLY_MAX_NESTING")
    depth = nesting(descriptor)
    if depth > settings["TALLY_MAX_NESTING"]:
        return None, _limit_problem(name, shown, f"the descriptor nests {depth} levels deep, more than "
                                    f"{settings['TALLY_MAX_NESTING']}", "TALLY_MAX_NESTING")
    if not isinstance(descriptor, dict):
        return None, _problem("descriptor-syntax", name, shown,
                              "the descriptor must be an object with a `resources` list",
                              "see docs/conventions.md for a complete example")
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        return None, _problem("empty-package", name, shown,
                              "the package has no resources",
                              "add at least one resource with a `path` to a CSV under data/")
    return descriptor, None


def _unsafe_names(descriptor: dict, folder: Path, name: str, shown: str):
    """Yield a problem for every name that becomes a path or URL and is not a strict slug (issue 14)."""
    if not is_archived_release(folder):
        why = name_problem(folder.name, DATASET_NAME)
        if why:
            yield _problem("unsafe-name", name, shown, f'the dataset folder name "{quoted(name)}" {why}',
                           "rename the folder, e.g. shelter-placements (it becomes the URL /datasets/<name>/)")
        elif name.lower() in RESERVED_DATASET_NAMES:
            yield _problem("reserved-name", name, shown,
                           f'the dataset folder name "{name}" is reserved for a site page under /datasets/',
                           "rename the folder; reserved names: " + ", ".join(sorted(RESERVED_DATASET_NAMES)))
    if "version" in descriptor:
        why = name_problem(descriptor["version"], VERSION)
        if why:
            yield _problem("unsafe-name", name, shown, f'version "{quoted(descriptor["version"])}" {why}',
                           "write the version as MAJOR.MINOR.PATCH, e.g. 1.0.0", field="version")
    for index, resource in enumerate(descriptor["resources"]):
        if not isinstance(resource, dict):
            continue
        for key, pattern in (("name", NAME), ("format", FORMAT)):
            if key in resource:
                why = name_problem(resource[key], pattern)
                if why:
                    yield _problem("unsafe-name", name, shown,
                                   f'resources[{index}].{key} "{quoted(resource[key])}" {why}',
                                   f"rename it, e.g. {'identifications' if key == 'name' else 'csv'} "
                                   "(it becomes a file name on the site)", field=f"resources[{index}].{key}")
    views = descriptor.get("views", [])
    for index, view in enumerate(views if isinstance(views, list) else []):
        if isinstance(view, dict) and "name" in view:
            why = name_problem(view["name"], NAME)
            if why:
                yield _problem("unsafe-name", name, shown, f'views[{index}].name "{quoted(view["name"])}" {why}',
                               "rename the view, e.g. by-quarter (it becomes /datasets/<name>/charts/<view>/)",
                               field=f"views[{index}].name")


def _limit_problem(name, shown, message, setting, **where) -> Problem:
    return _problem(f"limit-{setting[len('TALLY_MAX_'):].lower().replace('_', '-')}", name, shown,
                    f"{message} ({setting})",
                    f"make the file smaller; if it really must be this large, raise {setting} in the site settings",
                    **where)


def _oversized_tables(descriptor: dict, folder: Path, name: str, settings: dict):
    """Yield a problem for each data file over a size limit (measured, then scanned, before Frictionless reads it)."""
    for resource in descriptor["resources"]:
        if not isinstance(resource, dict):
            continue
        dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
        delimiter = (dialect.get("csv") or {}).get("delimiter") if isinstance(dialect.get("csv"), dict) else None
        delimiter = str(delimiter or dialect.get("delimiter") or ("\t" if resource.get("format") == "tsv" else ","))
        for ref in _as_list(resource.get("path")):
            file = folder / str(ref)
            try:
                check_size(file, settings)  # any format: asked of the file system, nothing read
                if str(resource.get("format") or file.suffix.lstrip(".")).lower() not in ("csv", "tsv"):
                    continue  # spreadsheets and other formats are not read line by line
                scan_table(file, settings, str(resource.get("encoding") or "utf-8"), delimiter)
            except LimitExceeded as error:
                yield _limit_problem(name, dataset_file(folder, file), str(error), error.setting, row=error.row,
                                     field=error.field, resource=quoted(resource.get("name") or ""))


def _unsafe_paths(descriptor: dict, folder: Path, name: str, shown: str):
    """Yield a problem for every remote, absolute, escaping or missing path in the descriptor."""
    for index, resource in enumerate(descriptor["resources"]):
        if not isinstance(resource, dict):
            continue
        label = quoted(resource.get("name") or f"#{index + 1}")
        refs = [("path", p) for p in _as_list(resource.get("path"))]
        refs += [(key, resource[key]) for key in ("schema", "dialect") if isinstance(resource.get(key), str)]
        if "path" not in resource and "data" not in resource:
            yield _problem("missing-path", name, shown, f'resource "{label}" has no path',
                           "give the resource a `path` to its CSV file", resource=label)
        for key, ref in refs:
            problem = _path_problem(str(ref), folder)
            if problem:
                message, hint = problem
                yield _problem("unsafe-path", name, shown,
                               f'resource "{label}" {key} "{quoted(ref)}" {message}', hint, resource=label)


def _path_problem(ref: str, folder: Path) -> tuple[str, str] | None:
    if "\x00" in ref:
        return "contains a NUL byte", "remove the control character from the path"
    if URL_SCHEME.match(ref):
        return ("is a remote URL; Tally never fetches data",
                "download the file into the dataset's data/ folder and use a relative path")
    if ref.startswith(("/", "\\")) or re.match(r"^[a-zA-Z]:", ref):
        return "is an absolute path", "use a path relative to the dataset folder, e.g. data/file.csv"
    if ".." in Path(ref).parts:
        return "leaves the dataset folder", "keep every file inside the dataset folder"
    target = (folder / ref).resolve()
    if folder not in target.parents:
        return "leaves the dataset folder (through a link)", "keep every file inside the dataset folder"
    if not target.is_file():
        return "does not exist", "add the file or correct the path (paths are case-sensitive)"
    return None


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _resource(resource, folder: Path) -> Resource:
    descriptor = resource.to_descriptor()
    fields = []
    if resource.schema is not None and resource.tabular:
        fields = [Field(f) for f in resource.schema.to_descriptor().get("fields", [])]
    path = resource.path if isinstance(resource.path, str) else ""
    return Resource(name=resource.name, path=path, file=folder / path, descriptor=descriptor,
                    fields=fields, frictionless=resource)


def _view(view: dict, resources: list[Resource]) -> View:
    named = view.get("resources") or ([view["resource"]] if view.get("resource") else [])
    # The views pattern lets a view omit `resources`: it then shows the first resource.
    first = next((r.name for r in resources if r.tabular), "")
    spec = view.get("spec") if isinstance(view.get("spec"), dict) else {}
    spec_type = str(view.get("specType", "tally"))
    if spec_type == "simple":  # Datahub's simple graph spec, common in published packages
        spec_type, spec = "tally", _from_simple(spec)
    return View(
        name=str(view.get("name", "chart")),
        title=str(view.get("title") or view.get("name", "Chart")),
        resource=str(named[0]) if named else first,
        spec_type=spec_type,
        spec=spec,
    )


def _from_simple(spec: dict) -> dict:
    """Translate Datahub's `{"type", "group", "series"}` graph spec into a Tally spec."""
    series = spec.get("series") or []
    mark = spec.get("type") if spec.get("type") in ("line", "bar") else "line"
    return {"mark": mark, "x": spec.get("group"), "y": series[0] if series else None}
