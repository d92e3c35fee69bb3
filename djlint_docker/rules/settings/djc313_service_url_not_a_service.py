"""DJC313 service-url-not-a-service: A broker, cache or channel layer host is the container itself or no service."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.parse.settings import chosen
from djlint_docker.positions import Location
from djlint_docker.project import DjangoRun, Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.project._git import placeholder
from djlint_docker.rules.settings._bindings import (
    address_unknown,
    location_of,
    template_host_of_a_sibling,
    template_note,
)
from djlint_docker.rules.settings._dotenv_files import environment_after_env_files
from djlint_docker.rules.settings._service_urls import (
    celery_in_stack,
    celery_setting,
    on_external_network,
    reachable_names,
    server_hosts,
    why_unreachable,
)
from djlint_docker.rules.snippets import APP_DOCKERFILE, MANAGE

REDIS = "  redis:\n    image: redis:7.4-alpine\n"
WORKER = "  worker:\n    build: .\n    command: celery -A app worker -l info\n    depends_on: [redis]\n"


@rule("DJC313", "service-url-not-a-service", Severity.ERROR, cross=True, examples=[
    Example("broker-default-localhost", {
        "compose.yaml": f"services:\n{REDIS}{WORKER}", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\n"
                           "CELERY_BROKER_URL = os.environ.get('CELERY_BROKER_URL', 'redis://localhost:6379/0')\n"},
        expect=(("app/settings.py", 2),)),
    Example("broker-of-the-branch-a-constant-chooses", {
        "compose.yaml": f"services:\n{REDIS}{WORKER}", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "USE_DOCKER = False\nif USE_DOCKER:\n    CELERY_BROKER_URL = 'redis://redis:6379'\n"
                           "else:\n    CELERY_BROKER_URL = 'redis://localhost:6379'\n"},
        expect=(("app/settings.py", 5),)),
    # Celery reads CELERY_BROKER_URL from the environment ahead of the setting: the worker's is the broker.
    Example("broker-variable-of-the-container", {
        "compose.yaml": f"services:\n{REDIS}{WORKER}    environment:\n      CELERY_BROKER_URL: redis://redis:6379/0\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nBROKER_URL = os.environ.get('BROKER_URL', 'redis://localhost:6379/0')\n"}),
    Example("cache-names-another-host", {
        "compose.yaml": f"services:\n{REDIS}  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "CACHES = {\n    'default': {\n"
                           "        'BACKEND': 'django.core.cache.backends.redis.RedisCache',\n"
                           "        'LOCATION': 'redis://cache:6379/1',\n    }\n}\n"},
        expect=(("app/settings.py", 1),)),
    Example("channel-layer-on-loopback", {
        "compose.yaml": f"services:\n{REDIS}  web:\n    build: .\n    command: daphne -b 0.0.0.0 app.asgi:app\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "CHANNEL_LAYERS = {'default': {'BACKEND': 'channels_redis.core.RedisChannelLayer',\n"
                           "                             'CONFIG': {'hosts': [('127.0.0.1', 6379)]}}}\n"},
        expect=(("app/settings.py", 1),)),
    Example("service-names", {
        "compose.yaml": f"services:\n{REDIS}{WORKER}    environment:\n      REDIS_URL: redis://redis:6379/0\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nCELERY_BROKER_URL = os.environ.get('REDIS_URL', 'redis://localhost:6379/0')\n"
                           "CELERY_RESULT_BACKEND = 'django-db'\n"
                           "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',\n"
                           "                      'LOCATION': 'unique-snowflake'}}\n"}),
    # The starter pre-wires Celery in its settings, but nothing in the stack runs a worker or a broker.
    Example("celery-pre-wired-with-no-worker-nor-broker", {
        "compose.yaml": "services:\n  db:\n    image: postgres:16\n  web:\n    build: .\n"
                        "    command: python manage.py runserver 0.0.0.0:8000\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\n"
                           "CELERY_BROKER_URL = os.environ.get('CELERY_BROKER_URL', 'redis://localhost:6379')\n"
                           "CELERY_RESULT_BACKEND = os.environ.get('CELERY_RESULT_BACKEND', 'redis://localhost:6379')\n"}),
    Example("broker-and-result-backend-on-localhost-reported-once", {
        "compose.yaml": f"services:\n{REDIS}{WORKER}", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\n"
                           "CELERY_BROKER_URL = os.environ.get('CELERY_BROKER_URL', 'redis://localhost:6379/0')\n"
                           "CELERY_RESULT_BACKEND = os.environ.get('CELERY_RESULT_BACKEND', 'redis://localhost:6379/1')\n"},
        expect=(("app/settings.py", 2),)),
    Example("result-backend-on-localhost-beside-a-broker-service", {
        "compose.yaml": f"services:\n{REDIS}{WORKER}", "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "CELERY_BROKER_URL = 'redis://redis:6379/0'\n"
                           "CELERY_RESULT_BACKEND = 'redis://localhost:6379/1'\n"},
        expect=(("app/settings.py", 2),)),
    Example("celery-worker-with-no-broker", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n"
                        "  tasks:\n    build: .\n    command: celery --app app worker --loglevel info\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\n"
                           "CELERY_BROKER_URL = os.environ.get('CELERY_BROKER_URL', 'redis://localhost:6379')\n"},
        expect=(("app/settings.py", 2),)),
    Example("broker-with-no-worker-yet", {
        "compose.yaml": f"services:\n{REDIS}  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\n"
                           "CELERY_BROKER_URL = os.environ.get('CELERY_BROKER_URL', 'redis://localhost:6379')\n"},
        expect=(("app/settings.py", 2),)),
    Example("two-cache-aliases-reported-once", {
        "compose.yaml": f"services:\n{REDIS}  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nREDIS = os.environ.get('REDIS_HOST', 'localhost')\nCACHES = {\n"
                           "    'default': {'BACKEND': 'django_redis.cache.RedisCache',\n"
                           "                'LOCATION': f'redis://{REDIS}:6379/0'},\n"
                           "    'sessions': {'BACKEND': 'django_redis.cache.RedisCache',\n"
                           "                 'LOCATION': f'redis://{REDIS}:6379/1'},\n}\n"},
        expect=(("app/settings.py", 3),)),
    Example("cache-of-another-stack-on-an-external-network", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n"
                        "networks:\n  default:\n    name: infra-network\n    external: true\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache',\n"
                           "                      'LOCATION': 'redis://redis:6379/1'}}\n"}),
    Example("network-alias", {
        "compose.yaml": "services:\n  valkey:\n    image: valkey/valkey:8\n    networks:\n      default:\n"
                        "        aliases:\n          - cache\n  web:\n    build: .\n    command: gunicorn app.wsgi\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache',\n"
                           "                      'LOCATION': 'redis://cache:6379/1'}}\n"}),
    # The template's words to replace are no host: whoever copies it writes the service's name there.
    Example("placeholder-of-the-template", {
        "compose.yaml": f"services:\n{REDIS}  web:\n    build: .\n    env_file: ./app.env\n"
                        "    command: daphne -b 0.0.0.0 app.asgi:application\n",
        "app.env.sample": "REDIS_HOST=<REDIS HOST>\n", ".gitignore": "app.env\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nCHANNEL_LAYERS = {'default': {\n"
                           "    'BACKEND': 'channels_redis.core.RedisChannelLayer',\n"
                           "    'CONFIG': {'hosts': [(os.environ['REDIS_HOST'], 6379)]}}}\n"}),
    # Every value of the production template is a filler: `None` for the cache's host, which the deployer sets.
    Example("filler-host-of-the-template", {
        "compose.yaml": f"services:\n{REDIS}  web:\n    build: .\n    env_file: prod.env\n"
                        "    command: gunicorn -b 0.0.0.0:8000 app.wsgi\n",
        "prod.env.example": "MEMCACHED_LOCATION=None\nSECRET_KEY=x\n", ".gitignore": "prod.env\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\nCACHES = {'default': {\n"
                           "    'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n"
                           "    'LOCATION': os.environ['MEMCACHED_LOCATION']}}\n"}),
    Example("env-file-each-clone-makes", {
        "compose.yaml": f"services:\n{REDIS}{WORKER}    env_file: .env\n", ".gitignore": ".env\n",
        "Dockerfile": APP_DOCKERFILE, "manage.py": MANAGE,
        "app/settings.py": "import os\n"
                           "CELERY_BROKER_URL = os.environ.get('CELERY_BROKER_URL', 'redis://localhost:6379/0')\n"}),
])
def service_url_not_a_service(project: Project) -> Iterator[Violation]:
    """A broker, cache or channel layer host is the container itself or no service.

    ## What it does
    Evaluates, with the environment each Django service of a compose file gets, the
    broker and result-backend URLs Celery reads (`CELERY_BROKER_URL`,
    `CELERY_RESULT_BACKEND`, `BROKER_URL`), the `LOCATION` of Redis and Memcached `CACHES` and the `hosts` of
    a Redis `CHANNEL_LAYERS`, and reports a host that is `localhost`, `127.0.0.1`, or a
    single-word name that is no service (nor link, container name, network alias or
    `extra_hosts:` name)
    of the file, unless the stack joins a network made outside it (`external: true`), where
    another stack's containers answer to their names. A value from a committed template
    (`.env.example`) read in place of the env file each clone makes is said to be (its words to replace, `<REDIS HOST>`,
    and its fillers, `None` or `x`, name no host); with no template it is unknown and not judged, as it is for a service
    whose Dockerfile compose cannot find (its entrypoint may compose the URL). A `REDIS_URL` of the
    project's own is judged where the settings use it (in `CACHES` or the broker URL):
    alone, nothing says that anything connects to it. The
    broker and result-backend URLs are not judged when nothing in the stack uses them: no
    service runs Celery (a worker, beat or Flower) and none is a broker (Redis, RabbitMQ,
    Valkey...), as in a starter that pre-wires Celery's settings. Each setting is
    reported once, naming every alias and container that cannot reach its host, and a
    result backend that names the same host as the broker URL is reported with it.
    DJC306 does the same for `DATABASES`. A stack that only builds images (each
    service a `build:` and an `image:`, nothing of the container it runs) is not judged:
    the cluster that runs them names their hosts.

    ## Why is this bad?
    Inside a container `localhost` is the container itself: Redis, RabbitMQ or
    Memcached run in their own containers, reached by service name. The worker cannot
    connect to its broker and retries forever, the cache raises connection errors on
    every request, and WebSocket consumers fail to join their groups.

    ## Example
    ```python
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0")
    ```
    with no `CELERY_BROKER_URL` in the worker's environment. Use instead (the Redis
    service is called `redis`):
    ```yaml
    worker:
      environment:
        CELERY_BROKER_URL: redis://redis:6379/0
    ```

    ## References
    - [Celery: using Celery with Django](https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html)
      (the broker URL the settings give)
    - [Compose: networking in Compose](https://docs.docker.com/compose/how-tos/networking/)
      (services reach each other by service name)
    - [Django: Redis cache](https://docs.djangoproject.com/en/stable/topics/cache/#redis)
    """
    if project.stack is None or project.build_only:
        return  # no stack, or one that only builds images for a cluster that runs them
    names = reachable_names(project)
    external = on_external_network(project)
    celery = celery_in_stack(project)
    found: dict[tuple[Location, str, str], list[DjangoRun]] = {}
    notes: dict[tuple[Location, str, str], str] = {}
    for run in project.django_runs:
        if run.service is None or address_unknown(project, run):
            continue
        for settings in run.settings:
            # in the environment the env files the settings load give (a value each user fills in unknown)
            for setting, what, host in server_hosts(run, settings, environment_after_env_files(project, run, settings)):
                if not celery and celery_setting(setting):
                    continue  # no worker, no beat, no broker in the stack: nothing connects to this URL
                binding = chosen(settings.bindings[setting], run.process_environment, settings.bindings)
                key = (location_of(binding), what, host)  # the branch the container takes: where the URL is written
                runs = found.setdefault(key, [])
                if run not in runs:
                    runs.append(run)
                notes[key] = notes.get(key) or template_note(project, run, binding, settings)
    reported: dict[Location, list[Reach]] = {}
    for (at, what, host), runs in found.items():
        why = why_unreachable(host, names, external)
        if why is None or placeholder(host) or template_host_of_a_sibling(project, notes[(at, what, host)], host):
            continue  # `None`, `x`, `your-redis-host`: a template's word for the host each deployer writes
        reported.setdefault(at, []).append((at, what, host, why, runs))
    for at, hosts in _with_result_backends_folded(reported).items():
        # one finding a setting (its aliases and containers named together), the result backend's with the broker's
        runs = list({id(run): run for *_, found_by in hosts for run in found_by}.values())
        who = ", ".join(run.name for run in runs)
        note = next((notes[(where, what, host)] for where, what, host, _, _ in hosts if notes[(where, what, host)]), "")
        _, what, host, why, _ = hosts[0]
        more = "".join(f"; {other_what}" + ("" if where == at else f" (line {where.line})") + f" names {other_host}"
                       + ("" if other_why == why else f", {other_why}")
                       for where, other_what, other_host, other_why, _ in hosts[1:])
        yield Violation(at, f"{who}{note}: {what} names the host {host}, which is {why}{more}; use the "
                            f"name of the service that runs it", related=tuple(run.location for run in runs))


Reach = tuple[Location, str, str, str, list[DjangoRun]]
"""Where a setting names a server, what names it, the host, why no container reaches it, and the containers."""
RESULT_BACKEND = re.compile(r"^(?:CELERY_)?RESULT_BACKEND$")
BROKER_URL = re.compile(r"^(?:CELERY_)?BROKER_URL$")


def _with_result_backends_folded(reported: dict[Location, list[Reach]]) -> dict[Location, list[Reach]]:
    """The findings with a Celery result backend that names the same host as the broker URL of the same file
    folded into the broker's: one ``CELERY_...=redis://localhost`` fix is one finding."""
    folded = dict(reported)
    for at, hosts in reported.items():
        if not all(RESULT_BACKEND.match(what) for _, what, *_ in hosts):
            continue
        broker = next((where for where, others in folded.items() if where.path == at.path and any(
            BROKER_URL.match(what) and host == hosts[0][2] for _, what, host, *_ in others)), None)
        if broker is not None and broker != at:
            folded[broker] = folded[broker] + hosts
            del folded[at]
    return folded
