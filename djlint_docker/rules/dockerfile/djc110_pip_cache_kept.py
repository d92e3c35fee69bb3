"""DJC110 pip-cache-kept: `pip install` keeps its download cache in the image."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djlint_docker.edits import line_end, line_start
from djlint_docker.findings import Edit, Fix, Severity, Violation
from djlint_docker.parse.dockerfile import Instruction
from djlint_docker.parse.requirements import pip_install
from djlint_docker.parse.shell import Command, program
from djlint_docker.positions import Location
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._cache_mounts import cache_mounted
from djlint_docker.rules.dockerfile._copies import pip_installs
from djlint_docker.rules.dockerfile._final_image import API_TESTS, shipped_images
from djlint_docker.rules.dockerfile._python_env import base_may_set
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_ONLY, building_dockerfile_dev
from djlint_docker.rules.snippets import MANAGE, WELL_BUILT_DOCKERFILE


@rule("DJC110", "pip-cache-kept", Severity.INFO, fix="safe", examples=[
    Example("no-flag", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 3),)),
    Example("no-cache-dir", {"Dockerfile": WELL_BUILT_DOCKERFILE, "manage.py": MANAGE}),
    Example("wheels-of-a-builder-stage-without-an-index", {
        "Dockerfile": "FROM python:3.12-slim AS builder\nCOPY requirements.txt .\n"
                      "RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt\n"
                      "FROM python:3.12-slim\nCOPY --from=builder /wheels /wheels\nCOPY requirements.txt .\n"
                      "RUN pip install --no-index --find-links=/wheels -r requirements.txt\n", "manage.py": MANAGE}),
    Example("development-image-of-a-project-deployed-elsewhere", {
        **DEV_AND_PROD, "Dockerfile.dev": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements-dev.txt .\n"
                                          "RUN pip install -r requirements-dev.txt\nCOPY . .\n",
        "compose.yaml": building_dockerfile_dev(DEV_AND_PROD["compose.yaml"]),
        "Dockerfile": WELL_BUILT_DOCKERFILE}),
    Example("development-image-is-all-it-has", {
        **{path: text for path, text in DEV_ONLY.items() if path != "Dockerfile"},
        "Dockerfile.dev": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements-dev.txt .\n"
                                      "RUN pip install -r requirements-dev.txt\nCOPY . .\n",
        "compose.yaml": building_dockerfile_dev(DEV_ONLY["compose.yaml"])},
        expect=(("Dockerfile.dev", 4),)),
    Example("test-image-beside-the-application", {
        **API_TESTS, "Dockerfile": WELL_BUILT_DOCKERFILE.replace("--no-cache-dir ", ""), "manage.py": MANAGE},
        expect=(("Dockerfile", 6),)),
    Example("cache-removed-in-the-same-run", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt .\n"
                      "RUN pip install -r requirements.txt && rm -rf /root/.cache/\n", "manage.py": MANAGE}),
    Example("cache-removed-in-a-later-run", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
                      "RUN rm -rf /root/.cache\n", "manage.py": MANAGE}, expect=(("Dockerfile", 3),)),
    Example("abbreviated-option", {"Dockerfile": "FROM python:3.12-slim\nRUN pip install --no-cache /wheels/*\n",
                                   "manage.py": MANAGE}),
    Example("env-and-cache-mount", {
        "Dockerfile": "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install django\n"
                      "RUN --mount=type=cache,target=/root/.cache/pip pip install gunicorn\n", "manage.py": MANAGE}),
    # The vendor's image, which the .env names and the compose build passes, disables pip's cache itself.
    Example("vendor-image-passed-by-compose", {
        "compose.yaml": "services:\n  web:\n    build:\n      context: ./app\n      args:\n        - APP_IMAGE\n",
        ".env": "APP_IMAGE=ghcr.io/acme/helpdesk:24.1.0\n",
        "app/Dockerfile": "ARG APP_IMAGE\nFROM ${APP_IMAGE}\nRUN pip install helpdesk-plugin-s3==1.2.0\n",
        "app/manage.py": MANAGE}),
    Example("official-image-passed-by-compose", {
        "compose.yaml": "services:\n  web:\n    build:\n      context: ./app\n      args:\n        - APP_IMAGE\n",
        ".env": "APP_IMAGE=python:3.12-slim\n",
        "app/Dockerfile": "ARG APP_IMAGE\nFROM ${APP_IMAGE}\nCOPY requirements.txt .\n"
                          "RUN pip install -r requirements.txt\n",
        "app/manage.py": MANAGE}, expect=(("app/Dockerfile", 4),)),
    Example("builder-stage-only", {
        "Dockerfile": "FROM python:3.12-slim AS build\nRUN pip wheel django -w /w && pip install build\n"
                      "FROM python:3.12-slim\nCOPY --from=build /w /w\nRUN pip install --no-cache-dir /w/*\n",
        "manage.py": MANAGE}),
    Example("each-install-without-the-flag", {
        "Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1\n"
                      "RUN pip install --upgrade pip \\\n    && pip3 install -r requirements.txt  # deps\n"
                      "RUN python -m pip install --no-cache-dir gunicorn\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 3),),
        fixed={"Dockerfile": "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1\n"
                             "RUN pip install --no-cache-dir --upgrade pip \\\n"
                             "    && pip3 install --no-cache-dir -r requirements.txt  # deps\n"
                             "RUN python -m pip install --no-cache-dir gunicorn\n"}),
    Example("several-installs-in-one-stage", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                      "RUN pip install -r requirements.txt\nRUN pip install gunicorn==23.0.0\nCOPY . .\n"
                      "RUN pip install -e .\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 4),),
        fixed={"Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                             "RUN pip install --no-cache-dir -r requirements.txt\n"
                             "RUN pip install --no-cache-dir gunicorn==23.0.0\nCOPY . .\n"
                             "RUN pip install --no-cache-dir -e .\n"}),
    Example("vendored-wheels-installed-first", {
        "Dockerfile": "FROM python:3.12-alpine\nWORKDIR /app\nCOPY vendor /opt/vendor\n"
                      "RUN if ls /opt/vendor/*.whl >/dev/null 2>&1; then pip install /opt/vendor/*.whl; fi\n"
                      "COPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 6),)),
    Example("installs-in-two-stages-of-the-image", {
        "Dockerfile": "FROM python:3.12-slim AS base\nWORKDIR /app\nCOPY requirements.txt .\n"
                      "RUN pip install -r requirements.txt\n\nFROM base\nCOPY . .\nRUN pip install gunicorn\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 4), ("Dockerfile", 8))),
    Example("pip-upgraded-in-its-own-run", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nRUN python -m pip install --upgrade pip setuptools wheel\n"
                      "COPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 5),),
        fixed={"Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\n"
                             "RUN python -m pip install --no-cache-dir --upgrade pip setuptools wheel\n"
                             "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n"
                             "COPY . .\n"}),
    Example("only-the-pip-upgrade-keeps-its-cache", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                      "RUN pip install -U pip && \\\n    pip install --no-cache-dir -r requirements.txt\nCOPY . .\n",
        "manage.py": MANAGE}),
])
def pip_cache_kept(project: Project) -> Iterator[Violation]:
    """`pip install` keeps its download cache in the image.

    ## What it does
    Reports `pip install` in the stages of the final image without `--no-cache-dir`,
    without `PIP_NO_CACHE_DIR` in the environment, without a cache mount, and without
    removing pip's cache in the same `RUN` (`rm -rf /root/.cache`, `pip cache purge`),
    in an image built from one known not to disable the cache: an official image
    (`python`, `debian`), a distribution's or a well-known public Python image, or the
    project's own base image when its Dockerfile does not set `PIP_NO_CACHE_DIR`. Another
    vendor's or organisation's image (`getsentry/sentry`, `acme/python-base`) may set it
    or write `no-cache-dir` into `/etc/pip.conf`, as DJC104 and DJC105 judge their
    variables. `FROM ${IMAGE}` without a default is the image the `.env` names when a
    compose build passes the argument (`args: [IMAGE]`); passed otherwise, it is taken
    to be an official one.
    The installs of one stage are one finding, on the first (the first that downloads,
    when an install of built wheels, `pip install /wheels/*.whl`, comes before it),
    naming the others: its fix adds the option to every one of them.

    An install that reads no package index (`pip install --no-index --find-links=/wheels
    -r requirements.txt`, the wheels a builder stage made) downloads nothing to cache, and
    is not reported either.

    An install of pip's own tooling alone (`pip install --upgrade pip setuptools wheel`)
    is not reported by itself: what it caches is those few wheels, a couple of megabytes.
    When the image's dependency install is reported, its fix adds the option to the
    upgrade too.

    An image only development or test stacks build, while the project ships another
    (`Dockerfile.dev`, `compose/local/...`, a test runner's image), is not reported: its
    size is no one's concern. A project whose only image is a development one ships it.

    ## Why is this bad?
    pip keeps every downloaded wheel under `/root/.cache/pip`; in a layer that cache is
    shipped with the image for nothing, often tens of megabytes.

    ## Example
    ```dockerfile
    RUN pip install -r requirements.txt
    ```
    Use instead:
    ```dockerfile
    RUN pip install --no-cache-dir -r requirements.txt
    ```

    ## Fix safety
    Safe: `--no-cache-dir` changes only what stays in the layer.

    ## References
    - [Docker: building best practices](https://docs.docker.com/build/building/best-practices/)
      (lean production images)
    - [hadolint DL3042](https://github.com/hadolint/hadolint/wiki/DL3042)
    """
    for build, dockerfile in shipped_images(project):
        lineage = dockerfile.lineage(dockerfile.final)
        if "PIP_NO_CACHE_DIR" in dockerfile.env(dockerfile.final) \
                or base_may_set(project, build, dockerfile, "PIP_NO_CACHE_DIR"):
            continue
        for stage in lineage:
            installs: list[Instruction] = []
            upgrades: list[Instruction] = []
            for run in stage.all("RUN"):
                if cache_mounted(run, "pip") or cache_mounted(run, "/root/.cache") or removes_pip_cache(run):
                    continue
                kept = [c for c in run.commands if pip_installs(c) and not any(NO_CACHE_DIR.match(w) for w in c.words)
                        and "--no-index" not in c.words]  # built wheels of a folder alone: nothing downloaded
                if any(not self_upgrade(c) for c in kept):
                    installs.append(run)
                elif kept:
                    upgrades.append(run)
            if not installs:
                continue
            # on the first install that downloads: one of built wheels alone (`pip install /wheels/*.whl`) caches
            # little more than their dependencies
            first = next((run for run in installs if not _wheels_only(run)), installs[0])
            installs.remove(first)
            installs.insert(0, first)
            others = [str(run.line) for run in installs[1:]]
            parts = [f"on line{'s' * (len(others) > 1)} {', '.join(others)}"] if others else []
            if upgrades:
                parts.append(f"to the pip upgrade on line {', '.join(str(upgrade.line) for upgrade in upgrades)}")
            also = f" ({'; '.join(parts)} too)" if parts else ""
            yield Violation(dockerfile.at(installs[0]), "`pip install` without `--no-cache-dir`: pip's cache stays in "
                                                        "the image; add --no-cache-dir" + also,
                            fix=_no_cache_dir_fix(project, dockerfile.at(installs[0]), (*installs, *upgrades)))


def _wheels_only(run: Instruction) -> bool:
    """Whether every ``pip install`` of the RUN installs built wheel files alone (``pip install /wheels/*.whl``)."""
    installs = [pip_install(c.words) for c in run.commands if pip_installs(c)]
    return bool(installs) and all(found is not None and not found.packages and not found.editable and found.paths
                                  and all(path.endswith(".whl") for path in found.paths) for found in installs)


SELF_PACKAGES = {"pip", "setuptools", "wheel"}
"""What ``pip install --upgrade pip setuptools wheel`` brings: pip's own tooling, a few megabytes of wheels."""


def self_upgrade(command: Command) -> bool:
    """Whether a ``pip install`` installs only pip's own tooling (``--upgrade pip setuptools wheel``): its cache
    is those few wheels, a couple of megabytes, where the dependencies' cache is tens of megabytes."""
    parsed = pip_install(command.words)
    if parsed is None or parsed.packages or parsed.paths or parsed.editable:
        return False
    arguments = command.words[command.words.index("install") + 1:]
    if any(word.startswith(("-r", "--requirement", "--group")) for word in arguments):
        return False  # a requirements file names the packages
    return any(re.split(r"[\[<>=!~;@ ]", word, maxsplit=1)[0] in SELF_PACKAGES for word in arguments)


PIP_CACHE = re.compile(r"(?:/root|~|\$HOME|\$\{HOME\})/\.cache(?:/pip)?(?:/\*?)?")
"""pip's cache folder as a ``rm`` argument: ``/root/.cache``, ``~/.cache/pip``, ``$HOME/.cache/*``."""


def removes_pip_cache(run: Instruction) -> bool:
    """Whether the RUN removes pip's cache itself (``rm -rf /root/.cache``, ``pip cache purge``): nothing stays."""
    return any((program(c) == "rm" and any(PIP_CACHE.fullmatch(w) for w in c.words))
               or (program(c).startswith("pip") and c.words[-2:] == ("cache", "purge")) for c in run.commands)


NO_CACHE_DIR = re.compile(r"^--no-cache(-d(ir?)?)?$|^--no-cache-dir=")
"""pip's option parser accepts unambiguous prefixes: ``--no-cache`` is ``--no-cache-dir``."""
PIP_INSTALL_WORDS = re.compile(r"\bpip[0-9.]*\s+install\b(?!-)")


def _no_cache_dir_fix(project: Project, location: Location, runs: tuple[Instruction, ...]) -> Fix | None:
    """``--no-cache-dir`` after each shell-form ``pip install`` of the RUNs that lacks it."""
    text = project.text(location.path)
    if text is None or runs[0].exec_form is not None:
        return None
    edits = []
    for run in runs:
        if run.exec_form is not None:
            continue
        start, end = line_start(text, run.line), line_end(text, run.end_line)
        for found in PIP_INSTALL_WORDS.finditer(text, start, end):
            arguments = re.split(r"&&|\|\||[;|]", text[found.end():end], maxsplit=1)[0]
            if not re.search(r"--no-cache", arguments):
                edits.append(Edit(location.path, found.end(), found.end(), " --no-cache-dir"))
    return Fix("add --no-cache-dir", tuple(edits)) if edits else None
