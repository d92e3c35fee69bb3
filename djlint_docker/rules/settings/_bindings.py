"""The settings' assignments of a name, evaluated and located: what each DJC3xx rule that reads one setting needs."""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from djlint_docker.discover import IMAGE_PUSH
from djlint_docker.names import COMPOSE_KNOWS, TRUE_WORDS
from djlint_docker.parse.compose import EnvEntry, Service
from djlint_docker.parse.env_reads import ENVIRON, EnvRead
from djlint_docker.parse.settings import UNBOUND, Assignment, Branches, Changed, Unknown, chosen, env_reads, evaluate
from djlint_docker.positions import Location
from djlint_docker.project import DjangoRun, ImageBuild, Project, Settings
from djlint_docker.rules.project._git import placeholder


def each_binding(project: Project, name: str) -> Iterator[tuple[Settings, Assignment]]:
    """Each assignment of ``name`` the containers' settings load, once, with the first settings that load it.

    Where the settings assign it in ``if``/``try`` branches, the assignment is the one of
    the way each container's environment takes (a settings package that star-imports
    ``production`` or ``development`` as ``DJANGO_ENV`` says); when the environment
    cannot decide, the branches as a whole, whose value is the one every way gives. An
    assignment in a file that no container loading the settings has (the image's
    ``.dockerignore`` leaves it out of the build context) is left out. Settings no container
    of the setup loads (a stack of the database alone, beside the image) take the ways of the
    containers of the project's other setups that load them (the image's ``ENV MODE=production``). The
    production-named modules no container loads are what the project deploys elsewhere, and count too.
    """
    seen = set()
    for settings in project.loaded_settings + project.production_settings_unloaded:
        binding = settings.bindings.get(name)
        if binding is None or binding.node is None:
            continue
        loading = containers_loading(project, settings) or [
            run for other in project.related for run in containers_loading(other, settings)]
        environments = [run.process_environment for run in loading]
        for way in dict.fromkeys(chosen(binding, environment, settings.bindings) for environment in environments) \
                if isinstance(binding.node, Branches) and environments else [binding]:
            if _left_out(project, loading, way.path):
                continue  # a file the build context leaves out (.dockerignore): no container has it
            if way.node is not None and (way.path, way.line) not in seen:
                seen.add((way.path, way.line))
                yield settings, way


def not_in_image(project: Project, run: DjangoRun, path: Path) -> bool:
    """Whether a container lacks a file of the project: its image's ``.dockerignore`` leaves the file out of the
    build context, and no service mounts the source over the image's code."""
    return run.build is not None and _not_sent(project, run.build, path)


def _not_sent(project: Project, build: ImageBuild, path: Path) -> bool:
    if build.dockerfile is None or not path.is_relative_to(build.context):
        return False
    ignore = project.dockerignore(build)
    if ignore is None or project.source_mounted(build):
        return False
    return ignore.excludes(path.relative_to(build.context).as_posix())


def _left_out(project: Project, loading: list[DjangoRun], path: Path) -> bool:
    """Whether no container that loads the settings has the file ``path``.

    The containers of this setup that load them; when none does (a stack that runs the
    project's published image), the images the project's setups build from a context
    holding the file.
    """
    if loading:
        return all(not_in_image(project, run, path) for run in loading)
    builds = [(other, build) for other in (project, *project.related) for build in other.builds
              if build.dockerfile is not None and path.is_relative_to(build.context)]
    return bool(builds) and all(_not_sent(other, build, path) for other, build in builds)


def evaluated(settings: Settings, binding: Assignment, env: dict[str, str]) -> Any:
    """The value the assignment computes with the environment ``env``; raises ``Unknown`` when it cannot be known."""
    assert binding.node is not None
    return evaluate(binding.node, env, settings.bindings)


def depends_on_environment(settings: Settings, binding: Assignment, variables: list[str]) -> bool:
    """Whether the value the assignment computes depends on the variables it names: ``1 or os.getenv("DEBUG")`` and
    ``"key" or os.getenv("SECRET_KEY")`` never reach the read, and are the literal whatever the environment says."""
    outcomes = set()
    for text in (*ENVIRONMENT_PROBES, *_compared_strings(binding, settings.bindings)):
        try:
            outcomes.add(repr(evaluated(settings, binding, {} if text is None else dict.fromkeys(variables, text))))
        except Unknown:
            return True
        if len(outcomes) > 1:
            return True
    return False


ENVIRONMENT_PROBES = (None, "", "0", "1", "False", "True", "on", "site.example")
"""Values given to the variables an expression reads to tell whether it reads them at all (None: unset)."""
MAX_COMPARED = 8


def _compared_strings(binding: Assignment, names: Mapping[str, Assignment]) -> list[str]:
    """The strings the assignment, or a module-level name it uses, compares a value with (``ENV != "production"``
    after ``ENV = os.environ.get("ENV", "development")``): values of the variables that change what it computes."""
    if binding.node is None:
        return []
    found: dict[str, None] = {}
    used = [names[node.id].node for node in ast.walk(binding.node) if isinstance(node, ast.Name) and node.id in names]
    for top in (binding.node, *used):
        for node in ast.walk(top) if top is not None else ():
            if isinstance(node, ast.Compare):
                found.update(dict.fromkeys(part.value for part in (node.left, *node.comparators)
                                           if isinstance(part, ast.Constant) and isinstance(part.value, str)))
    return list(found)[:MAX_COMPARED]


def location_of(binding: Assignment) -> Location:
    """Where the assignment is written."""
    return Location(binding.path, binding.line, binding.column)


def environment_unknown(project: Project, run: DjangoRun) -> bool:
    """Whether what the container's environment holds is unknown: an env file each clone makes, with no template,
    or the ``.env`` Compose interpolates its ``environment:`` from.

    Then no rule guesses what the settings compute from it.
    """
    return run.service is not None and (not project.environment_known(run.service)
                                        or _interpolates_the_unknown_dotenv(project, run.service))


def _interpolates_the_unknown_dotenv(project: Project, service: Service) -> bool:
    """Whether the service's ``environment:`` takes a value from the ``.env`` each clone makes by hand, with no
    template (``DATABASE_URL=postgres://${POSTGRES_USER}@${POSTGRES_HOST}/${POSTGRES_DB}``): its values are
    unknown, not empty (its variables' names are known: interpolation adds none)."""
    return not project.dotenv_known and any(
        name not in COMPOSE_KNOWS for entry in service.environment.values()
        for name in INTERPOLATED.findall((entry.raw or "").replace("$$", "")))


INTERPOLATED = re.compile(r"\$\{?(\w+)")
"""A variable Compose interpolates into a value (``${POSTGRES_HOST}``, ``$SECRET``)."""


def address_unknown(project: Project, run: DjangoRun) -> bool:
    """Whether the addresses a container's settings compute are unknown: it uses the host's network
    (``network_mode``), its environment is unknown (:func:`environment_unknown`), or its image cannot be read (a
    Dockerfile compose cannot find, whose entrypoint may compose the address, as cookiecutter-django's exports
    ``DATABASE_URL``)."""
    return run.service is not None and "network_mode" in run.service.keys or environment_unknown(project, run) \
        or run.build is not None and run.build.dockerfile is None


def from_templates(project: Project, run: DjangoRun) -> dict[str, Path]:
    """The variables the container gets from a committed template read in place of an absent env file."""
    found: dict[str, Path] = {}
    for ref in run.service.env_files if run.service is not None else ():
        template = project.template_for(ref.path) or project.copied_template(ref.path)
        if template is not None:
            for name in project.env_file(template):
                found.setdefault(name, template)
    # `environment:` values Compose interpolates from the .env it reads, here its template (`SECRET_KEY=${SECRET_KEY}`).
    dotenv = project.interpolation_file
    template = project.template_for(dotenv) or project.copied_template(dotenv)
    if template is not None and run.service is not None:
        given = project.env_file(template)
        for name, entry in run.service.environment.items():
            if any(variable in given for variable in INTERPOLATED.findall(entry.raw or "")):
                found.setdefault(name, template)
    return found


def template_note(project: Project, run: DjangoRun, binding: Assignment, settings: Settings) -> str:
    """`` with the values of .env.example`` when the setting reads a variable the container gets from a template."""
    templates = from_templates(project, run)
    if not templates or binding.node is None:
        return ""
    used = [templates[read.variable] for read in reads_through_names(binding, settings.bindings)
            if read.variable in templates]
    return f" with the values of {project.display(used[0])}" if used else ""


def reads_through_names(binding: Assignment, names: Mapping[str, Assignment]) -> list[EnvRead]:
    """The environment reads of an assignment, then those of the module-level names it uses, one per variable:
    ``ENGINE: db_engine`` reads ``DB_ENGINE`` through ``db_engine = os.getenv("DB_ENGINE")``, ``DEBUG = SECRET_KEY
    == insecure_secret`` reads ``SECRET_KEY``."""
    if binding.node is None:
        return []
    reads = {read.variable: read for read in env_reads(binding.node, names)}
    for node in ast.walk(binding.node):
        used = names.get(node.id) if isinstance(node, ast.Name) and node.id != binding.name else None
        if used is not None and used.node is not None:
            for read in env_reads(used.node, names):
                reads.setdefault(read.variable, read)
    return list(reads.values())


def template_host_of_a_sibling(project: Project, note: str, host: str) -> bool:
    """Whether a host the container only gets from a template (``note``: :func:`template_note`) is a service of
    another stack of the project: the template's values are that stack's, and whoever runs this one (managed
    databases, ``docker-compose.prod.external.yml``) writes the env file with their own hosts."""
    return bool(note) and any(other.stack is not None and host in other.stack.services for other in project.related)


def deployed_values(project: Project, name: str) -> Iterator[tuple[Settings, Assignment, Any]]:
    """Each assignment of ``name`` with its value when the variables it reads are unset.

    The variables the images of the containers that load the settings set themselves (``ENV
    MODE=production``, which chooses the production module) keep their values: no deployment forgets
    them. Left out: an assignment only development containers load, in a project deployed
    with other settings, and a value djcheck cannot know.
    """
    for settings, binding in each_binding(project, name):
        if project.development_only(binding):
            continue
        assert binding.node is not None
        read = {found.variable for found in env_reads(binding.node, settings.bindings)}
        environment = {variable: value for variable, value in _baked(project, settings).items() if variable not in read}
        try:
            value = evaluate(deployed_expression(binding.node, settings.bindings), environment, settings.bindings)
        except Unknown:
            continue
        # of `if`/`else` assignments, the one the unset variables take is where the value is written
        yield settings, chosen(binding, environment, settings.bindings), value


def _baked(project: Project, settings: Settings) -> dict[str, str]:
    """The variables every image whose containers load the settings sets to a known value by itself; when none is
    known to, every image of the deployed containers whose settings module is unknown (an env file each deployment
    writes names it): ``ENV DJANGO_ENVIRONMENT=production`` chooses the module a settings package star-imports."""
    loading = [run for other in (project, *project.related) for run in other.django_runs
               if run.build is not None and any(loaded.path == settings.path for loaded in run.settings)] or [
        run for other in (project, *project.related) for run in other.deployed_runs
        if run.build is not None and not run.settings]
    if not loading:
        return {}
    images = [project.process_image_environment(run.build) for run in loading]
    return {variable: value for variable, value in images[0].items()
            if value is not None and all(image.get(variable) == value for image in images[1:])}


def deployed_expression(node: ast.expr, names: Mapping[str, Assignment]) -> ast.expr:
    """The side of each conditional expression a deployed server takes, where the other side is only a CI run's, a
    test run's or a debugging server's (``"dev-key" if DEBUG else os.environ["SECRET_KEY"]``)."""
    for _ in range(MAX_WAYS):
        if not isinstance(node, ast.IfExp):
            break
        throwaway = _throwaway_side(node.test, names)
        if throwaway is None:
            break
        node = node.orelse if throwaway == 0 else node.body
    return node


def hardcoded_secret_keys(project: Project) -> list[tuple[Settings, Assignment, str]]:
    """Each ``SECRET_KEY`` assignment that is a literal or falls back to one, with its value (what DJC303 reports).

    Left out: an assignment only development containers load, in a project deployed with
    other settings, and one on a way only a CI run, a test run or a debugging server takes
    (``if DEBUG:``; a deployment with DEBUG on is DJC301's finding).
    """
    return [(settings, binding, value) for settings, binding, value in kept_values(project, "SECRET_KEY")
            if isinstance(value, str) and value]


def kept_values(project: Project, name: str) -> Iterator[tuple[Settings, Assignment, Any]]:
    """:func:`deployed_values` without the assignments on a way only a CI run, a test run or a debugging server
    takes (:func:`throwaway_ways`: ``if DEBUG: ALLOWED_HOSTS = ["*"]``)."""
    thrown_away: dict[Path, set[tuple[Path, int]]] = {}  # per settings module: the ways of its whole binding
    for settings, binding, value in deployed_values(project, name):
        if settings.path not in thrown_away:
            thrown_away[settings.path] = throwaway_ways(settings.bindings[name], settings.bindings)
        if (binding.path, binding.line) not in thrown_away[settings.path]:
            yield settings, binding, value


CI_VARIABLES = frozenset({"CI", "GITHUB_ACTIONS", "GITHUB_WORKFLOW", "GITLAB_CI", "TRAVIS", "CIRCLECI", "JENKINS_URL",
                          "BUILDKITE", "TF_BUILD", "BITBUCKET_BUILD_NUMBER", "DRONE", "WOODPECKER_CI"})
"""Variables CI services set in their runs (GitHub Actions, GitLab, Travis, CircleCI...) and no container has."""


def throwaway_ways(binding: Assignment, names: dict[str, Assignment]) -> set[tuple[Path, int]]:
    """Where the ways through a binding's ``if`` branches that only a CI or test run, or a debugging server, takes
    are assigned: the side of a test reading a CI variable that holds when the variable is set
    (``if os.environ.get("GITHUB_ACTIONS"):``), of a test that holds while tests run (``if "test" in sys.argv:``,
    :func:`taken_while_testing`), or of ``if DEBUG:`` (a deployment with DEBUG on is DJC301's finding)."""
    return _ways_on_side(binding, names, _throwaway_side)


def undeployed_ways(binding: Assignment, names: dict[str, Assignment]) -> set[tuple[Path, int]]:
    """Where the ways through a binding's ``if`` branches on the side a deployment does not take are assigned (the
    ``else`` of ``if env("ENVIRONMENT") == "production":``): a developer's, unless a container takes it."""
    return _ways_on_side(binding, names, _undeployed_side)


def _ways_on_side(binding: Assignment, names: dict[str, Assignment],
                  side: Callable[[ast.expr, Mapping[str, Assignment]], int | None]) -> set[tuple[Path, int]]:
    """Where the ways through a binding's ``if`` branches that pass the side ``side`` picks of some test are
    assigned, but for an assignment another way reaches too."""
    found: list[Assignment] = []
    kept: set[int] = set()  # the assignments a deployment's way reaches too (`ALLOWED_HOSTS = ["*"]` above both ways)
    pending: list[tuple[Assignment, bool]] = [(binding, False)]
    steps = 0
    while pending and steps < MAX_WAYS:
        steps += 1
        current, thrown_away = pending.pop()
        node = current.node
        branches = node.base if isinstance(node, Changed) and isinstance(node.base, Branches) else node
        if not isinstance(branches, Branches):
            if thrown_away:
                found.append(current)
            else:
                kept.add(id(current))
            continue
        throwaway = side(branches.test, names) if branches.kind == "if" else None
        for index, way in enumerate(branches.bindings):
            if way is not None and way is not UNBOUND:
                pending.append((way, thrown_away or index == throwaway))
    return {(way.path, way.line) for way in found if id(way) not in kept}


def _throwaway_side(test: ast.expr, names: Mapping[str, Assignment]) -> int | None:
    """Which side of an ``if`` (statement or expression) testing ``test`` only a CI run, a test run or a debugging
    server takes: 0 its body, 1 its ``else``."""
    if any(read.variable in CI_VARIABLES for read in env_reads(test, names)):
        negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
        return 1 if negated else 0
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.In, ast.NotIn)) \
            and isinstance(test.left, ast.Constant) and test.left.value in CI_VARIABLES \
            and ast.unparse(test.comparators[0]) in ENVIRON:  # `if "GITHUB_ACTIONS" in os.environ:`
        return 0 if isinstance(test.ops[0], ast.In) else 1
    testing = taken_while_testing(test, names)
    if testing is None:
        testing = _debugging(test, names)
    return None if testing is None else 0 if testing else 1


def _undeployed_side(test: ast.expr, names: Mapping[str, Assignment]) -> int | None:
    """Which side of an ``if`` testing ``test`` a deployment does not take: 0 its body, 1 its ``else``."""
    deploying = _deploying(test, names)
    return None if deploying is None else 1 if deploying else 0


DEVELOPMENT_NAMES = frozenset({"development", "dev", "local"})
"""The environment names only a developer's machine runs under (``if env("ENVIRONMENT") == "development":``)."""
PRODUCTION_NAMES = frozenset({"production", "prod"})
"""The environment names a deployment runs under (``if env("ENVIRONMENT") == "production":``): the other side of
such a test is a developer's machine."""
PRODUCTION_SWITCH = re.compile(r"(?:^|_)PROD(?:UCTION)?$", re.I)
"""A variable that says a deployment runs (``if os.environ["DJANGO_PRODUCTION"] == "true":``)."""


def follows_debug(node: ast.expr, names: Mapping[str, Assignment]) -> bool:
    """Whether a setting's value is chosen by DEBUG: ``SESSION_COOKIE_SECURE = not DEBUG``, ``X if DEBUG else Y``,
    or an ``if not DEBUG:`` that assigns it. With DEBUG on, its value is a debugging server's, and DEBUG on is
    DJC301's finding (or the template's development value each deployment turns off)."""
    test = node.test if isinstance(node, (Branches, ast.IfExp)) else node
    return _debugging(test, names) is not None


def _debugging(test: ast.expr, names: Mapping[str, Assignment]) -> bool | None:
    """Whether the test holds exactly when DEBUG is on (``if DEBUG:``, ``if settings.DEBUG:``, or the very test DEBUG
    is set from), or on a developer's machine (``if env("ENVIRONMENT") == "development":``), exactly when it is not
    (``if not DEBUG:``, ``!=``), or neither (None). An ``and`` one of whose parts holds only when DEBUG is on holds
    only then too (``if DEBUG and not SECRET_KEY:``)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _debugging(test.operand, names)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        return True if isinstance(test.op, ast.And) and any(
            _debugging(value, names) is True for value in test.values) else None
    named = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else None
    debug = names.get("DEBUG")
    if named == "DEBUG" or (debug is not None and isinstance(debug.node, ast.expr)
                            and ast.dump(debug.node) == ast.dump(test)):
        return True
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.NotEq)):
        sides = (test.left, test.comparators[0])
        if any(isinstance(side, ast.Constant) and str(side.value).lower() in DEVELOPMENT_NAMES for side in sides):
            return isinstance(test.ops[0], ast.Eq)
    return None


def _deploying(test: ast.expr, names: Mapping[str, Assignment]) -> bool | None:
    """Whether the test holds exactly where the project is deployed (``if env("ENVIRONMENT") == "production":``,
    ``if os.environ["DJANGO_PRODUCTION"] == "true":``), exactly where it is not (``!=``), or neither (None)."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.NotEq)):
        words = {str(side.value).lower() for side in (test.left, test.comparators[0]) if isinstance(side, ast.Constant)}
        if words & PRODUCTION_NAMES or words & set(TRUE_WORDS) and any(
                PRODUCTION_SWITCH.search(read.variable) for read in env_reads(test, names)):
            return isinstance(test.ops[0], ast.Eq)
    return None


MAX_WAYS = 256
"""Branches walked for one binding."""


TEST_FLAG = re.compile(r"(?:IS_|RUNNING_|IN_)?TEST(?:S|ING)?(?:_RUN|_MODE|_RUNNING)?")
TEST_COMMANDS = frozenset({"test", "pytest", "py.test"})
RUN_STATE = frozenset({"argv", "modules"})
MAX_FLAG_DEPTH = 4


def taken_while_testing(test: ast.expr, names: Mapping[str, Assignment], depth: int = 0) -> bool | None:
    """Whether the test holds exactly while tests run (True), exactly while they do not (False), or neither (None).

    A test-run flag (``IS_TESTS``, ``TESTING``) followed to what it is set to, ``"test" in
    sys.argv``, ``sys.argv[1:2] == ["test"]``, ``"pytest" in sys.modules``; ``not`` turns it
    around; an ``and`` holds only while tests run when one of its parts does, an ``or`` when
    all of them do (``"test" in sys.argv or "pytest" in sys.modules``).
    """
    if depth > MAX_FLAG_DEPTH:
        return None
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = taken_while_testing(test.operand, names, depth + 1)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        parts = [taken_while_testing(value, names, depth + 1) for value in test.values]
        testing = any(part is True for part in parts) if isinstance(test.op, ast.And) else all(parts)
        return True if testing else None
    if isinstance(test, ast.Name):
        if TEST_FLAG.fullmatch(test.id):
            return True
        bound = names.get(test.id)
        if bound is None or bound.node is None:
            return None
        return taken_while_testing(bound.node, names, depth + 1)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        sides = (test.left, test.comparators[0])
        words = {value.value for side in sides for value in ([side] if isinstance(side, ast.Constant) else
                                                               side.elts if isinstance(side, ast.List | ast.Tuple)
                                                               else []) if isinstance(value, ast.Constant)
                 and isinstance(value.value, str)}
        state = any(_run_state(side) for side in sides)
        if state and words & TEST_COMMANDS:
            return True if isinstance(test.ops[0], ast.In | ast.Eq) else \
                False if isinstance(test.ops[0], ast.NotIn | ast.NotEq) else None
    return None


def _run_state(node: ast.expr) -> bool:
    """``sys.argv``, ``sys.modules``, or an item or slice of them (``sys.argv[1]``)."""
    if isinstance(node, ast.Subscript):
        node = node.value
    return isinstance(node, ast.Attribute) and node.attr in RUN_STATE and isinstance(node.value, ast.Name) \
        and node.value.id == "sys"


MAX_NAME_HOPS = 8


def reads_environment(node: ast.expr, names: dict[str, Assignment]) -> bool:
    """Whether an expression reads the environment: itself, or a name in it bound to such a read (``PASSWORD:
    DATABASE_URL.split(":")[2]`` with ``DATABASE_URL = os.getenv("DATABASE_URL", "postgres://...")``)."""
    return any(env_reads(named_value(part, names), names) for part in ast.walk(node)
               if part is node or isinstance(part, ast.Name))


def named_value(node: ast.expr, names: dict[str, Assignment]) -> ast.expr:
    """The expression a name stands for, followed through names bound to names (``"PASSWORD": DB_PASSWORD`` with
    ``DB_PASSWORD = os.environ.get(...)`` in a module the settings star-import)."""
    for _ in range(MAX_NAME_HOPS):
        bound = names.get(node.id) if isinstance(node, ast.Name) else None
        if bound is None or bound.node is None:
            break
        node = bound.node
    return node


def set_by_every_container(project: Project, settings: Settings, variable: str, passed_on: bool = False) -> bool:
    """Whether every container that loads the settings is a compose service whose ``environment:`` (or env file) sets
    the variable to a value (with ``passed_on``, by its ``environment:`` taking it from the deployment's own
    environment, even empty: ``SECRET_KEY=${SECRET_KEY}``, not a literal written in the compose file; or by its env
    file, whose committed value DJC412 judges): a default the settings give the unset variable reaches none of them.
    An image no service runs is
    run with whatever its runner sets, and so is one CI publishes (``docker push``), or settings a platform or
    Passenger loads: then not."""
    runs = containers_loading(project, settings)
    return bool(runs) and not _deployed_beyond_compose(project) and all(
        run.service is not None and (
            _passes_on(run, variable) or _given(run, variable) is not None and project.development(run) is not None
            or _given(run, variable) is None and _set_by_committed_env_file(project, run.service, variable)
            if passed_on else bool(project.service_environment(run.service).get(variable)))
        for run in runs)


def passed_on_where_deployed(project: Project, settings: Settings, variable: str) -> bool:
    """Whether every deployed container of the project's stacks that loads the settings takes the variable from the
    deployment's environment (``SECRET_KEY=${SECRET_KEY}`` in ``docker-compose.deploy.yml``) and the settings run
    nowhere else: a default the settings give the unset variable reaches only development containers (runserver on
    the bind-mounted source, beside it)."""
    deployed = [run for other in (project, *project.related) for run in containers_loading(other, settings)
                if other.development(run) is None]
    return bool(deployed) and not _deployed_beyond_compose(project) and all(_passes_on(run, variable)
                                                                            for run in deployed)


def _given(run: DjangoRun, variable: str) -> EnvEntry | None:
    """The entry of the container's compose ``environment:`` that gives the variable a value; None when none does."""
    entry = run.service.environment.get(variable) if run.service is not None else None
    return entry if entry is not None and entry.value is not None else None


def _passes_on(run: DjangoRun, variable: str) -> bool:
    """Whether the container's compose ``environment:`` takes the variable from the deployment's environment
    (``SECRET_KEY=${SECRET_KEY}``)."""
    entry = _given(run, variable)
    return entry is not None and "$" in (entry.raw or "")


def containers_loading(project: Project, settings: Settings) -> list[DjangoRun]:
    """The containers of the setup that load the settings."""
    return [run for run in project.django_runs if any(loaded.path == settings.path for loaded in run.settings)]


def _deployed_beyond_compose(project: Project) -> bool:
    """Whether the project's settings also run outside its compose stacks: an image CI publishes for others to run, a
    platform's deployment (a Procfile, Render, Fly.io, Kubernetes...), or Passenger's ``passenger_wsgi.py``."""
    folders = dict.fromkeys((project.root, project.boundary))
    if project.deployed_on_a_platform or any(project.is_file(folder / "passenger_wsgi.py") for folder in folders):
        return True
    return any(IMAGE_PUSH.search(project.text(path, quiet=True) or "") for path in project.pipeline_paths
               if project.is_file(path))


def _set_by_committed_env_file(project: Project, service: Service, variable: str) -> bool:
    """Whether an env file of the service that the clone holds (not a template each user fills in) gives the
    variable a value that is no placeholder (``SECRET_KEY=k8#Lq2...`` in a committed ``.env.prod``; a generated
    value is ASCII, not ``тут-длинный-ключ-50-символов``)."""
    found = set_by_service(project, service, variable)
    return found is not None and bool(found[2]) and found[2].isascii() and not placeholder(found[2])


def set_by_service(project: Project, service: Service, variable: str) -> tuple[Location, str, str] | None:
    """Where the service's configuration sets ``variable`` to a value of its own (its ``environment:``, else the
    last of its committed env files that sets it), with what sets it and the value; None when it comes from the
    shell or from a template each user fills in."""
    entry = service.environment.get(variable)
    if entry is not None:
        return None if entry.value is None or "$" in (entry.raw or "") else (
            entry.location, "its environment:", entry.value)
    for ref in reversed(service.env_files):
        found = project.env_file(ref.path).get(variable) if os.path.isfile(ref.path) else None
        if found is not None:
            return None if found.value is None else (Location(ref.path, found.line, 1), project.display(ref.path),
                                                     found.value)
    return None


def values_services_give(project: Project, setting: str) -> Iterator[tuple[Service, Assignment, Any, str,
                                                                          tuple[Location, str, str]]]:
    """For each deployed compose container (not a development one), the value ``setting`` takes with its
    environment, and each variable that value reads which the service sets itself (:func:`set_by_service`): the
    service, the assignment taken, the value, the variable and where and what sets it."""
    for run in project.django_runs:
        service = run.service
        if service is None or project.development(run) is not None:
            continue
        for settings in run.settings:
            binding = settings.bindings.get(setting)
            way = chosen(binding, run.process_environment, settings.bindings) if binding is not None else None
            if way is None or way.node is None:
                continue
            try:
                value = evaluate(way.node, run.process_environment, settings.bindings)
            except Unknown:
                continue
            for read in env_reads(way.node, settings.bindings):
                found = set_by_service(project, service, read.variable)
                if found is not None:
                    yield service, way, value, read.variable, found


def tested_variables(node: ast.expr | None) -> list[str]:
    """The variables whose presence an expression tests (``'RENDER' not in os.environ``)."""
    if node is None:
        return []
    return [found.left.value for found in ast.walk(node)
            if isinstance(found, ast.Compare) and len(found.ops) == 1 and isinstance(found.ops[0], ast.In | ast.NotIn)
            and isinstance(found.left, ast.Constant) and isinstance(found.left.value, str)
            and ast.unparse(found.comparators[0]) in ENVIRON]


def branch_taken_when_unset(settings: Settings, binding: Assignment) -> tuple[str, list[str]] | None:
    """When ``binding`` is one way of an ``if`` whose test reads the environment, and the way the settings take with
    those variables unset: the condition as a message says it, and the variables (``environment =
    os.getenv('ENVIRONMENT', 'development')``, then ``if environment == 'development': DEBUG = True``; ``if
    'SECRET_KEY' in os.environ: ... else: SECRET_KEY = 'django-insecure-...'``). None otherwise."""
    whole = settings.bindings.get(binding.name)
    if whole is None or whole.node is None:
        return None
    parents: dict[int, tuple[Branches, int]] = {}  # an ``elif``'s Branches: the one whose way it is, and which way
    for node in ast.walk(whole.node):
        if not isinstance(node, Branches):
            continue
        for index, way in enumerate(node.ways):
            if isinstance(way, Branches):
                parents[id(way)] = (node, index)
        if binding in node.bindings:
            chain = [(node, node.bindings.index(binding))]
            while id(chain[0][0]) in parents:  # `if A: ... elif B: ... else: DEBUG = True`: A and B are false
                chain.insert(0, parents[id(chain[0][0])])
            tests = [Assignment(binding.name, branch.test, binding.path, binding.line, binding.column)
                     for branch, _ in chain]
            names = list(dict.fromkeys([*(read.variable for test in tests
                                          for read in reads_through_names(test, settings.bindings)),
                                        *(name for branch, _ in chain for name in tested_variables(branch.test))]))
            try:
                taken = bool(names) and evaluated(settings, whole, {}) == evaluated(settings, binding, {})
            except Unknown:
                return None
            return (_conditions(chain) + " then", names) if taken else None
    return None


def deployed_taker(project: Project, settings: Settings, binding: Assignment,
                   names: list[str]) -> tuple[DjangoRun, str] | None:
    """A deployed container of the project that sets one of ``names`` (the variables an ``if`` of the settings
    tests) and still takes the way ``binding`` is written in (``DJANGO_ENV: production`` where the settings test
    ``ENV == "prod"``), with the variable and the value it gives: the branch is no forgotten variable's there."""
    whole = settings.bindings.get(binding.name)
    if whole is None or whole.node is None:
        return None
    for run in (run for other in (project, *project.related) for run in other.deployed_runs):
        if not any(loaded.path == settings.path for loaded in run.settings):
            continue
        given = {name: value for name in names if (value := run.environment.get(name))}
        if not given:
            continue
        try:
            if evaluated(settings, whole, given) == evaluated(settings, binding, given):
                name, value = next(iter(given.items()))
                return run, f"{name}={value}"
        except Unknown:
            continue
    return None


def _conditions(chain: list[tuple[Branches, int]]) -> str:
    """The tests of nested ``if``s as a message says them with the ways taken: ```A` holds``, ```A` and `B` are
    false``."""
    if all(way != 0 for _, way in chain) and len(chain) > 1:
        return " and ".join(f"`{branch.condition}`" for branch, _ in chain) + " are false"
    return " and ".join(f"`{branch.condition}` {'holds' if way == 0 else 'is false'}" for branch, way in chain)
