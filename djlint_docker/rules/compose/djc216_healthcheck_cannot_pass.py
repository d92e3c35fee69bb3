"""DJC216 healthcheck-cannot-pass: a healthcheck that cannot pass, or does not run the test it seems to."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import data_service
from djlint_docker.parse.compose import Service
from djlint_docker.parse.shell import Command, split_line
from djlint_docker.project import ImageBuild, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.project._installed_programs import (
    SystemPackages,
    copied_in,
    installs_of,
    lacks,
    program_of,
    suggestion,
)
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE

OPERATOR = re.compile(r"\d*(?:&&|\|\||[;&|]|>>?|<)(?:&\d)?")
RUN_TIME_VARIABLE = re.compile(r"\$\$\{?([A-Za-z_][A-Za-z0-9_]*)(:?[-=?+])?")  # $$VAR: the container's shell expands it
ALWAYS_SET = {"PATH", "HOME", "HOSTNAME", "PWD", "SHLVL", "TERM", "LANG", "GPG_KEY"}
DATABASE_PREFIXES = ("POSTGRES_", "MYSQL_", "MARIADB_")


def _web(healthcheck: str) -> dict[str, str]:
    return {"compose.yaml": f"services:\n  web:\n    build: .\n    healthcheck:\n      test: {healthcheck}\n",
            "Dockerfile": APP_DOCKERFILE + "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n",
            "manage.py": MANAGE}


@rule("DJC216", "healthcheck-cannot-pass", Severity.ERROR, cross=True, examples=[
    # The shell runs `curl` alone, which exits 2 without a URL: the service is never healthy.
    Example("cmd-shell-split-into-items", _web("[\"CMD-SHELL\", \"curl\", \"-f\", \"http://localhost:8000/health/\"]"),
            expect=(("compose.yaml", 4),)),
    # Bare pg_isready asks the same server: the user and database it drops never change the answer.
    Example("cmd-shell-split-where-the-dropped-options-change-nothing", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: "
                        "${POSTGRES_PASSWORD:?}\n    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready\", \"-U\", "
                        "\"postgres\", \"-d\", \"${POSTGRES_DB}\"]\n"}),
    Example("cmd-with-a-shell-string", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: "
                        "${POSTGRES_PASSWORD:?}\n    healthcheck:\n"
                        "      test: [\"CMD\", \"pg_isready -U postgres\"]\n"},
        expect=(("compose.yaml", 6),)),
    Example("curl-on-slim", _web("[\"CMD-SHELL\", \"curl -f http://localhost:8000/health/ || exit 1\"]"),
            expect=(("compose.yaml", 4),)),
    Example("dockerfile-healthcheck-curl-on-slim", {
        "Dockerfile": APP_DOCKERFILE + "HEALTHCHECK --interval=30s CMD curl -f http://localhost:8000/ || exit 1\n"
                      "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 5),)),
    Example("variable-not-in-the-container", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: "
                        "${POSTGRES_PASSWORD:?}\n    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U "
                        "$${POSTGRES_USER} -d $${POSTGRES_DB}\"]\n"}, expect=(("compose.yaml", 6),)),
    Example("program-and-option-in-one-item", {
        "compose.yaml": "services:\n  web:\n    image: ghcr.io/acme/shop:1.4\n    healthcheck:\n"
                        "      test: [\"CMD\", \"curl -f\", \"http://localhost:8000/health/\"]\n"},
        expect=(("compose.yaml", 4),)),
    # Docker runs `/bin/sh -c -c "pg_isready ..."`: the repeated -c is one more option, the string the command.
    Example("cmd-shell-with-a-redundant-dash-c", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n"
                        "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n    healthcheck:\n      test: "
                        "[\"CMD-SHELL\", \"-c\", \"pg_isready -U $${POSTGRES_USER}\"]\n"}),
    Example("cmd-shell-options-then-split-items", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n"
                        "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n    healthcheck:\n      test: "
                        "[\"CMD-SHELL\", \"-c\", \"pg_isready\", \"-p\", \"6432\"]\n    command: -p 6432\n"},
            expect=(("compose.yaml", 7),)),
    Example("postgres-healthcheck", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n"
                        "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n    healthcheck:\n      test: "
                        "[\"CMD-SHELL\", \"pg_isready -U $${POSTGRES_USER} -d $${POSTGRES_DB:-app}\"]\n"}),
    Example("python-probe-on-slim", _web("[\"CMD\", \"python\", \"-c\", \"import urllib.request; "
                                         "urllib.request.urlopen('http://localhost:8000/health/')\"]")),
    Example("curl-installed", {
        **_web("curl -f http://localhost:8000/health/ || exit 1"),
        "Dockerfile": APP_DOCKERFILE + "RUN apt-get update && apt-get install -y --no-install-recommends curl "
                      "&& rm -rf /var/lib/apt/lists/*\n"
                      "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi\"]\n"}),
    Example("redis-exec-form", {
        "compose.yaml": "services:\n  redis:\n    image: redis:7\n    healthcheck:\n"
                        "      test: [\"CMD\", \"redis-cli\", \"ping\"]\n"}),
])
def healthcheck_cannot_pass(project: Project) -> Iterator[Violation]:
    """A healthcheck that cannot pass, or does not run the test it seems to.

    ## What it does
    Reads each compose `healthcheck: test:` and each Dockerfile `HEALTHCHECK` and reports:
    - `["CMD-SHELL", "pg_isready", "-U", "postgres"]`: Docker runs `/bin/sh -c` followed
      by every item after `CMD-SHELL`, without joining them, so only the first item is the
      command (the others become the shell's `$0`, `$1`), unless the command alone answers
      as the whole would (`pg_isready` dropping only `-U`, `-d`: the server says whether it
      accepts connections without a login). Leading items the shell reads as
      its options are skipped as the shell skips them: `["CMD-SHELL", "-c", "pg_isready"]`
      runs `/bin/sh -c -c "pg_isready"`, where the repeated `-c` is one more option and the
      string is still the command (dash, bash and BusyBox ash all run it);
    - `["CMD", "pg_isready -U postgres"]`: `CMD` runs no shell, so the whole string is
      taken as the name of the program; shell operators (`||`) or `$$VAR` in a `CMD` list
      reach the program as arguments;
    - a program the image lacks (`curl` or `wget` on `python:*-slim`, `curl` on alpine), as
      DJC415 knows them;
    - `$$VAR` in the test when the container's environment has no `VAR` (the image's and the
      service's variables, for a built python image or a database service's own
      `POSTGRES_*`/`MYSQL_*`/`MARIADB_*`), unless it has a default (`$${VAR:-app}`).

    ## Why is this bad?
    A healthcheck that always fails marks the container unhealthy for ever: every
    service that waits on it with `condition: service_healthy` never starts, and
    orchestrators restart it. One that runs something else than it seems (`curl` without
    its URL, a user name that is empty) reports healthy or unhealthy for the wrong reason.

    ## Example
    ```yaml
    healthcheck:
      test: ["CMD", "pg_isready -U postgres"]
    ```
    Use instead:
    ```yaml
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
    ```

    ## References
    - [Compose file reference: healthcheck](https://docs.docker.com/reference/compose-file/services/#healthcheck)
      (`CMD-SHELL` and one string run by the container's shell; `CMD` and the program with its arguments)
    - [Dockerfile reference: HEALTHCHECK](https://docs.docker.com/reference/dockerfile/#healthcheck)
    - [moby: daemon/health.go](https://github.com/moby/moby/blob/master/daemon/health.go)
      (`CMD-SHELL`: `/bin/sh -c` followed by every item after it)
    """
    for service in project.services:
        if service.healthcheck is None:
            continue
        test = service.healthcheck.value.get("test")
        build = project.build_for(service)
        system = installs_of(build) if build is not None else None
        location = service.healthcheck.location
        for message, severity in _compose_test(project, service, build, system, test):
            yield Violation(location, message, severity=severity)
    for build, dockerfile in project.dockerfiles:
        for stage in dockerfile.lineage(dockerfile.final):
            instruction = stage.last("HEALTHCHECK")
            if instruction is None:
                continue
            system = installs_of(build)
            for message in _dockerfile_test(build, system, instruction.args):
                yield Violation(dockerfile.at(instruction), message)


def _compose_test(project: Project, service: Service, build: ImageBuild | None, system: SystemPackages | None,
                  test: object) -> Iterator[tuple[str, Severity | None]]:
    if isinstance(test, str):
        script = test
    elif isinstance(test, list) and test and all(isinstance(item, str) for item in test):
        kind, items = test[0], test[1:]
        if kind == "CMD-SHELL":
            options, operands = _shell_operands(items)
            if len(operands) > 1 and not _same_probe(operands):
                kept = [json.dumps(option) for option in options if option != "-c"]  # Docker gives -c already
                fix = ", ".join(["\"CMD-SHELL\"", *kept, json.dumps(" ".join(operands))])
                yield (f"only the first item after CMD-SHELL{' and the shell options' if options else ''} is the "
                       f"command: Docker runs `/bin/sh -c` followed by each item, so the shell runs "
                       f"`{operands[0]}` and takes {json.dumps(operands[1])} as its $0; write the whole command as "
                       f"one string: [{fix}]", None)
                return
            script = operands[0] if operands else ""
        elif kind == "CMD":
            yield from ((message, None) for message in _exec_problems(build, system, items, compose=True))
            return
        else:
            return
    else:
        return
    yield from ((message, None) for message in _missing_tools(build, system, split_line(_unescaped(script))))
    unset = _unset_variables(project, service, build, script)
    if unset:
        names = ", ".join(f"`${name}`" for name in unset)
        yield (f"the healthcheck's shell expands {names}, which the container's environment does not have: the "
               f"test runs with {'it' if len(unset) == 1 else 'them'} empty; set {' and '.join(unset)} in the "
               f"service's environment or write the value", Severity.WARNING)


def _shell_operands(items: list[str]) -> tuple[list[str], list[str]]:
    """The items after ``CMD-SHELL`` split as ``/bin/sh -c`` reads them: its options (``-c``, ``-e``, ``-o pipefail``,
    up to ``--``), then the operands: the command string, ``$0``, ``$1``..."""
    index = 0
    while index < len(items):
        item = items[index]
        if item in {"--", "-"}:
            return items[:index + 1], items[index + 1:]
        if not SHELL_OPTION.fullmatch(item):
            break
        index += 2 if item.endswith("o") else 1  # -o NAME: the option's name is the next item
    return items[:index], items[index:]


SHELL_OPTION = re.compile(r"[-+][A-Za-z]+")

PROBE_OPTIONS_WITHOUT_EFFECT = re.compile(r"-[Udtq]|--(?:username|dbname|timeout|quiet)(?:=.*)?|-[Udt].+")
"""pg_isready's options that do not change its answer: it asks the server whether it accepts connections, and the
server answers whatever the user or database (it never logs in), unless it is not up at all."""


def _same_probe(operands: list[str]) -> bool:
    """Whether the command the shell runs alone, ``pg_isready`` without the items it drops (``-U``, ``-d`` and
    their values), answers as the whole would: the healthcheck works though it is written wrong."""
    if operands[0].rsplit("/", 1)[-1] != "pg_isready":
        return False
    dropped = iter(operands[1:])
    for item in dropped:
        if not PROBE_OPTIONS_WITHOUT_EFFECT.fullmatch(item):
            return False
        if item in {"-U", "-d", "-t"}:
            next(dropped, None)  # the option's value
    return True


def _exec_problems(build: ImageBuild | None, system: SystemPackages | None, argv: list[str],
                   compose: bool) -> Iterator[str]:
    """What is wrong with an exec-form test (``["CMD", ...]`` in compose, ``HEALTHCHECK CMD [...]``)."""
    shell_form = (f"[\"CMD-SHELL\", {json.dumps(' '.join(argv))}]" if compose
                  else f"the shell form `HEALTHCHECK CMD {' '.join(argv)}`")
    if argv and " " in argv[0].strip():
        split = ", ".join(json.dumps(word) for word in argv[0].split() + argv[1:])
        fix = shell_form if len(argv) == 1 else f"[\"CMD\", {split}]" if compose else f"HEALTHCHECK CMD [{split}]"
        yield (f"{json.dumps(argv[0])} is run with no shell: Docker looks for a program named `{argv[0]}`, which "
               f"does not exist, so the check always fails; use {fix}")
        return
    operator = next((word for word in argv if OPERATOR.fullmatch(word)), None)
    if operator is not None:
        yield (f"`{operator}` in an exec-form test reaches {argv[0]} as an argument (no shell runs): the check does "
               f"not do what it reads; use {shell_form}")
        return
    yield from _missing_tools(build, system, [Command(tuple(_unescaped(word) for word in argv))])


def _missing_tools(build: ImageBuild | None, system: SystemPackages | None,
                   commands: list[Command]) -> Iterator[str]:
    if build is None or build.dockerfile is None or system is None:
        return
    for command in commands:
        name = program_of(command)
        tool = lacks(system, name)
        if tool is not None and not copied_in(build.dockerfile, name):
            yield (f"the healthcheck runs `{name}`, which {system.image} does not have and the Dockerfile does not "
                   f"install: the check always fails; add `{suggestion(system, tool)}`, or probe with python")
            return


def _unescaped(text: str) -> str:
    """A compose value as the container gets it: ``$$`` is a literal ``$``."""
    return text.replace("$$", "$")


def _unset_variables(project: Project, service: Service, build: ImageBuild | None, script: str) -> list[str]:
    if not project.environment_known(service):
        return []
    environment = {**project.image_environment(build), **project.service_environment(service)}
    python_image = build is not None and installs_of(build) is not None
    database = data_service(service.image.value if service.image else None) if build is None else None
    found = []
    for match in RUN_TIME_VARIABLE.finditer(script):
        name, default = match.group(1), match.group(2)
        if default or name in environment or name in ALWAYS_SET or name in found:
            continue
        if python_image and not name.startswith("PYTHON_"):
            found.append(name)
        elif database is not None and name.startswith(DATABASE_PREFIXES):
            found.append(name)
    return found


def _dockerfile_test(build: ImageBuild, system: SystemPackages | None, args: str) -> Iterator[str]:
    head, _, rest = args.strip().partition(" ")
    if head.upper() != "CMD":
        return
    rest = rest.strip()
    if rest.startswith("["):
        try:
            argv = json.loads(rest)
        except ValueError:
            argv = None
        if isinstance(argv, list) and argv and all(isinstance(item, str) for item in argv):
            yield from _exec_problems(build, system, argv, compose=False)
            return
    yield from _missing_tools(build, system, split_line(rest))
