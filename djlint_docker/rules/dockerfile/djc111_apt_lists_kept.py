"""DJC111 apt-lists-kept: `apt-get install` leaves recommended packages or the package lists in the image."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.dockerfile import Instruction
from djlint_docker.parse.shell import Command, program
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._cache_mounts import cache_mounted
from djlint_docker.rules.dockerfile._debian_releases import distribution
from djlint_docker.rules.dockerfile._final_image import API_TESTS, shipped_images
from djlint_docker.rules.snippets import MANAGE

DEVDB = "FROM postgres:17\nRUN apt-get update && apt-get install -y postgresql-17-pldebugger\n"
DEVDB_APP = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"app.wsgi\"]\n"


@rule("DJC111", "apt-lists-kept", Severity.INFO, examples=[
    Example("both-missing", {
        "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y libpq-dev\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("lists-removed-later", {
        "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\n"
                      "RUN rm -rf /var/lib/apt/lists/*\n", "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("several-installs-in-one-stage", {
        "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y libpq-dev\n"
                      "RUN apt-get install -y gettext\nWORKDIR /app\n"
                      "RUN apt-get update && apt-get install -y --no-install-recommends curl "
                      "&& rm -rf /var/lib/apt/lists/*\n"
                      "RUN apt-get update && apt-get install -y --no-install-recommends git\n",
        "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("installs-in-two-stages-of-the-image", {
        "Dockerfile": "FROM python:3.12-slim AS base\nRUN apt-get update && apt-get install -y libpq5\n\n"
                      "FROM base\nRUN apt-get update && apt-get install -y gettext\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 2), ("Dockerfile", 5))),
    Example("distclean", {"Dockerfile": "FROM python:3.13-slim-trixie\nRUN apt-get update && apt-get install -y "
                                        "--no-install-recommends libpq5 && apt-get distclean\n", "manage.py": MANAGE}),
    # Packages annotated with comment substitutions (sh substitutes nothing for them) and a comment
    # line inside the continued RUN: the removal at the end is part of the same RUN.
    Example("annotated-packages-recommends", {
        "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update \\\n  && apt-get install -y \\\n"
                      "  libpq5 `# postgres client` \\\n  gettext `# compilemessages` \\\n"
                      "  && rm -rf /var/lib/apt/lists/*\n", "manage.py": MANAGE}, expect=(("Dockerfile", 2),)),
    Example("annotated-packages", {
        "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update \\\n"
                      "  && apt-get install -y --no-install-recommends \\\n"
                      "  libpq5 `# postgres client` \\\n  # image processing\n  libjpeg62-turbo \\\n"
                      "  libxslt1.1 `# needed by lxml` \\\n  && rm -rf /var/lib/apt/lists/*\n", "manage.py": MANAGE}),
    Example("integration-test-image", {
        "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5 "
                      "&& rm -rf /var/lib/apt/lists/*\nCOPY . /app\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "Dockerfile.integration-tests": "FROM python:3.12-slim\nRUN apt-get update \\\n"
                                        "  && apt-get install -y chromium chromium-driver\n"
                                        "COPY tests/integration /tests\nCMD [\"pytest\", \"/tests\"]\n",
        "manage.py": MANAGE}),
    Example("test-stack-image-beside-the-application", {
        **API_TESTS, "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y libpq5\n"
                                   "COPY . /app\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 2),)),
    # A database image with a debugger extension, built by the development stack only.
    Example("development-database-image", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                        "  db:\n    image: postgres:17\n",
        "docker-compose.dev.yml": "services:\n  dev-db:\n    build:\n      context: .\n"
                                  "      dockerfile: Dockerfile.devdb\n    ports:\n      - \"5432:5432\"\n"
                                  "  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
                                  "    volumes:\n      - .:/app\n",
        "Dockerfile": DEVDB_APP, "Dockerfile.devdb": DEVDB, "manage.py": MANAGE}),
    Example("database-image-the-deployed-stack-builds", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                        "  db:\n    build:\n      context: .\n      dockerfile: Dockerfile.db\n",
        "Dockerfile": DEVDB_APP, "Dockerfile.db": DEVDB, "manage.py": MANAGE}, expect=(("Dockerfile.db", 2),)),
    # cookiecutter-django's idiom: the recommended packages are removed again at the end of the RUN.
    Example("recommends-purged-by-autoremove", {
        "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update \\\n  && apt-get install -y libpq-dev gettext \\\n"
                      "  && apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false \\\n"
                      "  && rm -rf /var/lib/apt/lists/*\n", "manage.py": MANAGE}),
    # A plain autoremove keeps what an installed package recommends.
    Example("autoremove-keeps-recommends", {
        "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update \\\n  && apt-get install -y libpq-dev gettext \\\n"
                      "  && apt-get autoremove -y \\\n  && rm -rf /var/lib/apt/lists/*\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 2),)),
    # The update in a RUN of its own keeps the lists in its layer: that RUN is told (as hadolint's DL3009).
    Example("update-in-a-run-of-its-own", {
        "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update\n"
                      "RUN apt-get install -y --no-install-recommends libpq5\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 2),)),
    # No `apt-get update`: no lists are downloaded, only the recommends are reported.
    Example("install-without-update", {
        "Dockerfile": "FROM python:3\nRUN apt-get install -y --no-install-recommends default-libmysqlclient-dev\n"
                      "RUN apt-get install -y gettext\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 3),)),
    # Alpine has no apt-get: the build stops there (DJC124), and nothing is left in the image.
    Example("apt-get-on-alpine", {
        "Dockerfile": "FROM python:3.8-alpine\nRUN apt-get update && apt-get -y install cron\n", "manage.py": MANAGE}),
    Example("clean", {"Dockerfile": "FROM python:3.12-slim\nRUN apt-get update \\\n && apt-get install -y "
                                    "--no-install-recommends postgresql-client \\\n && rm -rf /var/lib/apt/lists/*\n",
                      "manage.py": MANAGE}),
])
def apt_lists_kept(project: Project) -> Iterator[Violation]:
    """`apt-get install` leaves recommended packages or the package lists in the image.

    ## What it does
    Reports `RUN` instructions of the final image's stages that call `apt-get install`
    without `--no-install-recommends` (or `-o APT::Install-Recommends=false`), unless the
    same `RUN` removes the recommended packages again afterwards with `apt-get purge -y
    --auto-remove -o APT::AutoRemove::RecommendsImportant=false` (cookiecutter-django's and
    the official images' idiom: apt marks the recommended packages it installs as
    automatically installed, and with that option a package that only recommends them no
    longer keeps them from being autoremoved); or without removing `/var/lib/apt/lists/*` (or
    `apt-get distclean`, which removes them) in the `RUN` that downloads them with
    `apt-get update`, whether it installs or not. An image on Alpine, which has no
    `apt-get`, is left to DJC124: its build stops there. The installs of one stage
    are one finding, on the first, naming the others: one change of the stage's habit
    (or one merged `RUN`) fixes them all.

    An image only development or test stacks build, while the project ships another
    (`Dockerfile.dev`, a development database image, a test runner's image), is not
    reported: its size is no one's concern. A project whose only image is a development
    one ships it.

    ## Why is this bad?
    Recommended packages are rarely needed in a container, and the package lists take
    tens of megabytes. Removed in a later `RUN`, they still weigh in the earlier layer.

    ## Example
    ```dockerfile
    RUN apt-get update && apt-get install -y libpq-dev
    ```
    Use instead:
    ```dockerfile
    RUN apt-get update \\
        && apt-get install -y --no-install-recommends libpq-dev \\
        && rm -rf /var/lib/apt/lists/*
    ```

    ## References
    - [Docker best practices: apt-get](https://docs.docker.com/build/building/best-practices/#apt-get)
      (`--no-install-recommends` and `rm -rf /var/lib/apt/lists/*`)
    - [apt's configuration index](https://salsa.debian.org/apt-team/apt/-/blob/main/doc/examples/configure-index)
      (`APT::AutoRemove::RecommendsImportant`: whether reverse Recommends prevent autoremoval)
    - [apt-get(8)](https://manpages.debian.org/stable/apt/apt-get.8.en.html) (`--auto-remove`)
    - [hadolint DL3015](https://github.com/hadolint/hadolint/wiki/DL3015), [DL3009](https://github.com/hadolint/hadolint/wiki/DL3009)
    """
    for _, dockerfile in shipped_images(project):
        alpine = distribution(dockerfile.root.image or "") == "alpine"  # no apt-get: DJC124's build failure
        for stage in [] if alpine else dockerfile.lineage(dockerfile.final):
            found = [(run, missing) for run in stage.all("RUN") if (missing := _missing(run))]
            if not found:
                continue
            kinds = [kind for kind in ("--no-install-recommends", "`rm -rf /var/lib/apt/lists/*` in the same RUN")
                     if any(kind in missing for _, missing in found)]
            others = [str(run.line) for run, _ in found[1:]]
            also = f" (on line{'s' * (len(others) > 1)} {', '.join(others)} too)" if others else ""
            # the program as written: `apt install` is told as such
            apt = next((program(c) for c in found[0][0].commands if _apt(c, "install") or _apt(c, "update")), "apt-get")
            if any(_apt(c, "install") for c in found[0][0].commands):
                told = f"`{apt} install` without {' and '.join(kinds)}"
            else:  # an update in a RUN of its own first
                told = f"`{apt} update` without `rm -rf /var/lib/apt/lists/*` in the same RUN" + (
                    f", `{apt} install` without --no-install-recommends" if len(kinds) > 1 else "")
            yield Violation(dockerfile.at(found[0][0]), f"{told}{also}")


def _missing(run: Instruction) -> list[str]:
    """What an ``apt-get install`` RUN leaves out, ``--no-install-recommends``, and what one that downloads the
    package lists (``apt-get update``, with or without an install) leaves out: their removal."""
    commands = run.commands
    installs = [c for c in commands if _apt(c, "install")]
    missing = []
    if installs and any("--no-install-recommends" not in c.words
           and "APT::Install-Recommends=false" not in " ".join(c.words) for c in installs) \
            and not _recommends_autoremoved(commands, installs[-1]):
        missing.append("--no-install-recommends")
    # `apt-get distclean` (apt 2.7+, Debian trixie) removes the lists as `rm -rf` does.
    removes = any((program(c) == "rm" and any(w.startswith("/var/lib/apt/lists") for w in c.words))
                  or _apt(c, "distclean") for c in commands)
    # The lists are what `apt-get update` downloads, in its RUN's layer: an install without it adds none, and an
    # update in a RUN of its own keeps them in its layer whatever a later RUN removes (hadolint's DL3009 alike).
    updates = any(_apt(c, "update") for c in commands)
    if updates and not removes and not cache_mounted(run, "/var/lib/apt"):
        missing.append("`rm -rf /var/lib/apt/lists/*` in the same RUN")
    return missing


def _apt(command: Command, verb: str) -> bool:
    """Whether the command is ``apt-get <verb>`` (or ``apt <verb>``)."""
    return program(command) in {"apt-get", "apt"} and verb in command.words


RECOMMENDS_NOT_IMPORTANT = re.compile(r"APT::AutoRemove::RecommendsImportant=[\"']?(?:false|0|no|off)\b", re.I)


def _recommends_autoremoved(commands: tuple[Command, ...], last_install: Command) -> bool:
    """Whether, after the last install, the RUN autoremoves with recommendations not counted as important
    (``apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false``): the recommended packages the
    installs pulled in, marked as installed automatically, go again."""
    after = commands[commands.index(last_install) + 1:]
    for command in after:
        words = command.words
        if program(command) not in {"apt-get", "apt"}:
            continue
        autoremoves = "autoremove" in words or ({"purge", "remove"} & set(words)
                                                 and {"--auto-remove", "--autoremove"} & set(words))
        if autoremoves and RECOMMENDS_NOT_IMPORTANT.search(" ".join(words)):
            return True
    return False
