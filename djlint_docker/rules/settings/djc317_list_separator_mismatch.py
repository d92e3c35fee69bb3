"""DJC317 list-separator-mismatch: A host or origin list is split on a separator its value does not use."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.settings import Unknown, chosen, env_reads, evaluate
from djlint_docker.parse.shell import program
from djlint_docker.positions import Location
from djlint_docker.project import DjangoRun, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.settings._bindings import environment_unknown, location_of, template_note
from djlint_docker.rules.snippets import GUNICORN_DOCKERFILE, MANAGE

#: The settings whose items are matched whole against a request (a host name, a scheme and host).
MATCHED = {"ALLOWED_HOSTS": "Host header", "CSRF_TRUSTED_ORIGINS": "origin", "CORS_ALLOWED_ORIGINS": "origin"}


def _hosts_stack(value: str, split: str, where: str = "environment") -> dict[str, str]:
    """A gunicorn service given ``DJANGO_ALLOWED_HOSTS=value`` (in its ``environment:`` or an env file), read by
    settings that split it with ``split`` (examples)."""
    given = f"    environment:\n      - DJANGO_ALLOWED_HOSTS={value}\n" if where == "environment" \
        else "    env_file: web.env\n"
    return {"compose.yaml": "services:\n  web:\n    build: .\n" + given, "web.env": f"DJANGO_ALLOWED_HOSTS={value}\n",
            "Dockerfile": GUNICORN_DOCKERFILE, "manage.py": MANAGE, "app/wsgi.py": "",
            "app/settings.py": "import os\n\n"
                               f"ALLOWED_HOSTS = os.environ.get('DJANGO_ALLOWED_HOSTS', 'localhost'){split}\n"}


@rule("DJC317", "list-separator-mismatch", Severity.ERROR, cross=True, examples=[
    Example("spaces-split-on-commas", _hosts_stack("localhost 127.0.0.1 [::1]", ".split(',')"),
            expect=(("app/settings.py", 3),)),
    Example("commas-split-on-spaces", _hosts_stack("localhost,127.0.0.1,example.com", ".split(' ')", "env_file"),
            expect=(("app/settings.py", 3),)),
    Example("spaces-after-commas", _hosts_stack("example.com, www.example.com", ".split(',')"),
            expect=(("app/settings.py", 3),)),
    Example("same-separator", _hosts_stack("localhost 127.0.0.1 [::1]", ".split(' ')")),
    Example("split-on-whitespace", _hosts_stack("localhost  127.0.0.1", ".split()")),
    Example("each-item-stripped", {
        **_hosts_stack("example.com, www.example.com", ""),
        "app/settings.py": "import os\n\nALLOWED_HOSTS = [host.strip() for host in "
                           "os.environ.get('DJANGO_ALLOWED_HOSTS', 'localhost').split(',')]\n"}),
    Example("decouple-csv-strips", {
        **_hosts_stack("example.com, www.example.com", ""),
        "app/settings.py": "from decouple import Csv, config\n\n"
                           "ALLOWED_HOSTS = config('DJANGO_ALLOWED_HOSTS', cast=Csv())\n"}),
    # The value comes from the shell that runs Compose: djcheck cannot know it.
    Example("value-from-the-shell", _hosts_stack("${DJANGO_ALLOWED_HOSTS}", ".split(',')")),
    # The Celery worker, given the web service's variables, answers no request: its hosts are never compared.
    Example("worker-answers-no-request", {
        **_hosts_stack("localhost 127.0.0.1 [::1]", ".split(',')"),
        "compose.yaml": "services:\n  worker:\n    build: .\n    command: celery -A app worker -l info\n"
                        "    environment:\n      - DJANGO_ALLOWED_HOSTS=localhost 127.0.0.1 [::1]\n",
        "app/celery.py": "import os\n\nfrom celery import Celery\n\n"
                         "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\napp = Celery('app')\n"}),
    Example("web-and-worker-given-the-same-list", {
        **_hosts_stack("localhost 127.0.0.1 [::1]", ".split(',')"),
        "compose.yaml": "services:\n  web:\n    build: .\n    environment:\n"
                        "      - DJANGO_ALLOWED_HOSTS=localhost 127.0.0.1 [::1]\n"
                        "  worker:\n    build: .\n    command: celery -A app worker -l info\n"
                        "    environment:\n      - DJANGO_ALLOWED_HOSTS=localhost 127.0.0.1 [::1]\n",
        "app/celery.py": "import os\n\nfrom celery import Celery\n\n"
                         "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\napp = Celery('app')\n"},
        expect=(("app/settings.py", 3),)),
    # A list written as JSON is no fill-in: `.split()` keeps its commas and quotes.
    Example("json-list-split-on-whitespace", _hosts_stack('["localhost","127.0.0.1"]', ".split()", "env_file"),
            expect=(("app/settings.py", 3),)),
    # The template's fill-in for the deployer's host name, in brackets: replaced before anything runs.
    Example("fill-in-of-the-template", _hosts_stack("localhost,[ADD YOUR HOSTNAME HERE: e.g. example.com]",
                                                    ".split(',')", "env_file")),
])
def list_separator_mismatch(project: Project) -> Iterator[Violation]:
    """A host or origin list is split on a separator its value does not use.

    ## What it does
    Evaluates `ALLOWED_HOSTS`, `CSRF_TRUSTED_ORIGINS` and django-cors-headers'
    `CORS_ALLOWED_ORIGINS` with the environment each container gives the settings
    (compose `environment:`, env files or their committed templates, the image's `ENV`,
    the settings' defaults) and reports an item that holds a space or a comma: the
    value separates its hosts with spaces while the settings split on commas
    (`"localhost 127.0.0.1".split(",")`), the other way round, or it puts a space after
    each comma (`"example.com, www.example.com".split(",")` gives `" www.example.com"`).
    A value the shell running Compose supplies is unknown and not reported, and so is the
    list of a container that answers no request (a Celery worker, beat or Flower).

    ## Why is this bad?
    Django compares each item whole with the request's host (or origin): an item with a
    space or a comma in it matches nothing. When it is the only item, every request is
    answered *400 Bad Request* (`DisallowedHost`), in development too, since DEBUG only
    adds `localhost` to an empty list; otherwise the hosts after the first are refused,
    or their form posts fail the CSRF check.

    ## Example
    ```python
    # env: DJANGO_ALLOWED_HOSTS=localhost 127.0.0.1 [::1]
    ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")
    ```
    Use instead:
    ```python
    ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split()
    ```

    ## References
    - [Django: ALLOWED_HOSTS](https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts)
    - [Django source: validate_host](https://github.com/django/django/blob/main/django/http/request.py)
      (each pattern is compared whole with the host)
    - [Django: CSRF_TRUSTED_ORIGINS](https://docs.djangoproject.com/en/stable/ref/settings/#csrf-trusted-origins)
    """
    found: dict[tuple[Location, str, str], list[DjangoRun]] = {}
    notes: dict[tuple[Location, str, str], str] = {}
    for run in project.django_runs:
        if environment_unknown(project, run):
            continue  # an env file each clone makes, with no template: its values are unknown
        if _answers_no_request(project, run):
            continue
        for settings in run.settings:
            for name in MATCHED:
                if name not in settings.bindings:
                    continue
                binding = chosen(settings.bindings[name], run.process_environment, settings.bindings)
                if binding.node is None or not env_reads(binding.node, settings.bindings):
                    continue  # written in the settings: a list of literals is DJC316's and Python's business
                try:
                    value = evaluate(binding.node, run.process_environment, settings.bindings)
                except Unknown:
                    continue
                if not isinstance(value, (list, tuple)):
                    continue  # one string is DJC316's finding
                item = next((item for item in value if isinstance(item, str) and _unmatchable(item)), None)
                if item is None:
                    continue
                key = (location_of(binding), name, item)
                runs = found.setdefault(key, [])
                if run not in runs:
                    runs.append(run)
                notes[key] = notes.get(key) or template_note(project, run, binding, settings)
    for (at, name, item), runs in found.items():
        who = ", ".join(run.name for run in runs)
        why, fix = _why_and_fix(item)
        yield Violation(at, f"{who}{notes[(at, name, item)]}: {name} gets the item {item!r}, which {why} "
                            f"and matches no {MATCHED[name]}; {fix}",
                        related=tuple(run.location for run in runs))


def _answers_no_request(project: Project, run: DjangoRun) -> bool:
    """Whether the container runs Celery (a worker, beat, Flower) and no application server: no request reaches
    Django there, and no host or origin is compared."""
    return run.service is not None and not project.servers(run.service, run.build) and any(
        program(ran.command) == "celery" for ran in project.container_commands(run.service, run.build))


def _unmatchable(item: str) -> bool:
    """Whether a host or origin item can match nothing: a space or a comma in it, or around it. A template's
    fill-in between brackets (:data:`FILL_IN`) is replaced first."""
    return ("," in item or any(character.isspace() for character in item)) and not FILL_IN.fullmatch(item.strip())


FILL_IN = re.compile(r"\[[^\],\"']*\s[^\],\"']*\]|<[^<>,\"']*>")
"""A template's fill-in: words in brackets (``[ADD YOUR HOSTNAME HERE: e.g. example.com]``, ``<your domain>``), no
list (``["localhost","127.0.0.1"]`` is a value written as JSON)."""


def _why_and_fix(item: str) -> tuple[str, str]:
    """What is wrong with an item that matches nothing, and how to split its value instead."""
    if "," in item:
        return "holds commas", "split the value on commas (.split(\",\")), the separator it uses"
    if item.strip() and not any(character.isspace() for character in item.strip()):
        return "starts or ends with a space", "drop the spaces after the commas, or strip each item"
    return "holds spaces", "split the value on whitespace (.split()), or separate its items with commas"
