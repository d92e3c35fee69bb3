"""DJC209 service-image-unpinned: A service's `image:` is not pinned to a version."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import (
    data_service,
    development_tool,
    fixes_a_version,
    local_image,
    official_image,
    parse_image,
    release_channel,
    versioned_name,
)
from djlint_docker.parse.compose import Service
from djlint_docker.project import Project
from djlint_docker.records import replaced
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._ci_workflows import (
    PLACEHOLDER as PIPELINE_EXPRESSION,
)
from djlint_docker.rules.compose._ci_workflows import (
    built_by_instructions,
    published_by_pipelines,
    tags_published_by_pipelines,
)
from djlint_docker.rules.compose._mounts import holds_volumes_only
from djlint_docker.rules.compose._stack import (
    built_images,
    never_deployed,
    once_per_line,
    runs_owners_image,
)
from djlint_docker.rules.settings._databases import unused_database
from djlint_docker.rules.settings._development import DEV_AND_PROD, DEV_COMPOSE, DEV_ONLY
from djlint_docker.rules.snippets import MANAGE, PRODUCTION_COMPOSE, REQUIREMENTS_DOCKERFILE, TUTORIAL_COMPOSE


@rule("DJC209", "service-image-unpinned", Severity.WARNING, examples=[
    Example("tutorial-postgres", {"compose.yaml": TUTORIAL_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE,
                                  "manage.py": MANAGE},
            expect=(("compose.yaml", 3),)),
    # A stack that Watchtower keeps up to date: the labelled services follow their tags on purpose.
    Example("placeholder-of-a-template", {
        "compose.yaml": "services:\n  backend:\n    image: acme/backend:<slug>\n    command: /start\n"}),
    Example("followed-by-watchtower", {
        "compose.yaml": "services:\n  browser:\n    image: ghcr.io/acme/playwright-api:main\n    labels:\n"
                        "      - com.centurylinklabs.watchtower.enable=true\n  watchtower:\n"
                        "    image: containrrr/watchtower\n    command: --label-enable --interval 86400\n"
                        "  cache:\n    image: redis:latest\n    labels:\n      com.example.role: cache\n"},
        expect=(("compose.yaml", 10),)),
    # A Watchtower with no label filter updates every container of the host; a database's new major would not
    # read the data, and stays reported.
    Example("watchtower-following-every-container", {
        "compose.yaml": "services:\n  grafana:\n    image: grafana/grafana\n  db:\n    image: postgres:latest\n"
                        "    volumes:\n      - pg:/var/lib/postgresql/data\n  watchtower:\n"
                        "    image: containrrr/watchtower\n    volumes:\n"
                        "      - /var/run/docker.sock:/var/run/docker.sock\n    command: --interval 3600 --cleanup\n"
                        "volumes:\n  pg: {}\n"},
        expect=(("compose.yaml", 5),)),
    Example("watchtower-of-named-containers", {
        "compose.yaml": "services:\n  grafana:\n    image: grafana/grafana\n  api:\n    image: acme/api:1.4\n"
                        "  watchtower:\n    image: containrrr/watchtower\n    command: --interval 30 api\n"},
        expect=(("compose.yaml", 3),)),
    Example("latest-and-variant-only", {
        "compose.yaml": "services:\n  cache:\n    image: redis:latest\n  db:\n    image: postgres:alpine\n"
                        "    volumes:\n      - pg:/var/lib/postgresql/data\nvolumes:\n  pg:\n"},
        expect=(("compose.yaml", 3), ("compose.yaml", 5))),
    Example("pinned", {"compose.yaml": PRODUCTION_COMPOSE, "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    # A data-volume container: it runs `true` (or echoes a line) and exits; other services take its volumes.
    Example("data-volume-container", {
        "compose.yaml": PRODUCTION_COMPOSE.replace("volumes:\n  pgdata:\n", "  data:\n    image: busybox\n"
                                                   "    command: \"true\"\n    volumes:\n      - /srv/media\n"
                                                   "volumes:\n  pgdata:\n"),
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("data-volume-container-that-echoes", {
        "compose.yaml": "services:\n  db:\n    image: postgres:9.5\n    volumes_from:\n      - db_data\n"
                        "  db_data:\n    image: postgres\n    command: echo \"DB data volume\"\n    volumes:\n"
                        "      - /var/lib/postgresql/data\n"}),
    Example("built-image-name", {"compose.yaml": "services:\n  web:\n    build: .\n    image: myorg/web\n",
                                 "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("floating-tags", {
        "compose.yaml": "services:\n  cache:\n    image: redis:alpine\n  proxy:\n    image: nginx:alpine\n"
                        "  assets:\n    image: node:lts-alpine\n  mail:\n    image: axllent/mailpit:v1.20\n"
                        "  queue:\n    image: rabbitmq:3-management-alpine\n  web:\n    image: nginx:1-alpine\n"},
        expect=(("compose.yaml", 3), ("compose.yaml", 7))),
    # nginx's stable channel is a choice within nginx 1 (`nginx:alpine`, above, is mainline's own tag); Node's
    # codename tags name one major (hydrogen is Node 18); Red Hat's image names hold the version.
    # Tools a developer opens beside the application, and Memcached, follow their releases; the broker does not.
    Example("developer-tools-beside-a-deployed-stack", {
        "docker-compose.prod.yml": "services:\n  web:\n    build: .\n    command: gunicorn shop.wsgi -b 0.0.0.0:8000\n"
                                   "  memcached:\n    image: memcached:alpine\n"
                                   "  mail:\n    image: axllent/mailpit\n    profiles: [mail]\n"
                                   "  pgadmin:\n    image: dpage/pgadmin4:latest\n    volumes:\n"
                                   "      - pgadmin:/var/lib/pgadmin\n  docs:\n    image: swaggerapi/swagger-ui\n"
                                   "  broker:\n    image: rabbitmq:management\nvolumes:\n  pgadmin:\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("docker-compose.prod.yml", 17),)),
    Example("release-channel-and-codename", {
        "compose.yaml": "services:\n  proxy:\n    image: nginx:stable-alpine\n  assets:\n"
                        "    image: node:hydrogen-alpine\n  db:\n    image: registry.redhat.io/rhel9/postgresql-16\n"
                        "    volumes:\n      - pg:/var/lib/pgsql/data\nvolumes:\n  pg:\n"}),
    Example("image-another-service-builds", {
        "compose.yaml": "name: shop\nservices:\n  web:\n    build: .\n    image: shop/web\n"
                        "  worker:\n    image: shop/web\n    command: celery -A shop worker\n"
                        "  beat:\n    image: shop-web\n    command: celery -A shop beat\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("version-from-a-variable", {
        "compose.yaml": "services:\n  db:\n    image: postgres:${PG_VERSION}\n"
                        "    volumes:\n      - pg:/var/lib/postgresql/data\nvolumes:\n  pg:\n"}),
    Example("release-from-a-variable-the-installer-sets", {
        "deploy/compose.yml": "services:\n  api:\n    image: acme/storefront-api:${APP_RELEASE:-stable}\n"
                              "  proxy:\n    image: ${REGISTRY:-docker.io}/acme/storefront-web:${APP_RELEASE:-stable}\n"
                              "  cache:\n    image: redis:latest\n",
        "deploy/.env": "APP_RELEASE=stable\n"}, expect=(("deploy/compose.yml", 7),)),
    Example("image-chosen-by-whoever-runs-the-stack", {
        "docker-compose.test.yml": "services:\n  app:\n    image: ${IMAGE-docker.io/acme/app:latest}\n"
                                   "    depends_on: [db]\n  db:\n    image: postgres:16-alpine\n"}),
    Example("editor-development-container", {
        ".devcontainer/compose.yml": "services:\n  workspace:\n    image: mcr.microsoft.com/devcontainers/python:3.12\n"
                                     "    command: sleep infinity\n    volumes:\n      - ..:/workspace\n"
                                     "  db:\n    image: postgres:latest\n  mail:\n    image: axllent/mailpit\n",
        "manage.py": MANAGE}),
    Example("application-stack-beside-an-editor-development-container", {
        ".devcontainer/compose.yml": "services:\n  db:\n    image: postgres:latest\n",
        "compose.yaml": "services:\n  web:\n    build: .\n  db:\n    image: postgres:latest\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 5),)),
    Example("the-projects-own-image-in-its-install-file", {
        "compose.yaml": "name: bookshelf\nservices:\n  webserver:\n    image: ghcr.io/bookshelf-app/bookshelf:latest\n"
                        "    depends_on: [db]\n  db:\n    image: postgres:17\n  worker:\n"
                        "    image: bookshelf/bookshelf-worker\n",
        "manage.py": MANAGE}),
    Example("another-projects-image-in-an-install-file", {
        "compose.yaml": "name: bookshelf\nservices:\n  webserver:\n    image: ghcr.io/bookshelf-app/bookshelf:latest\n"
                        "  converter:\n    image: gotenberg/gotenberg:latest\n",
        "manage.py": MANAGE}, expect=(("compose.yaml", 6),)),
    # The workflow pushes to the repository its secret names, under the tags the stack pulls; redis is not its own.
    Example("tags-the-pipeline-pushes-to-a-secret-repository", {
        "docker-compose.yml": "services:\n  backend:\n    image: someone/notes:backend-latest\n"
                              "    command: gunicorn app.wsgi -b 0.0.0.0:8000\n  redis:\n    image: redis:latest\n",
        ".github/workflows/deploy.yml": "on: push\njobs:\n  push:\n    runs-on: ubuntu-latest\n    steps:\n"
                                        "      - uses: actions/checkout@v4\n      - run: |\n"
                                        "          docker build -t ${{ secrets.DOCKER_REPO }}:backend-latest backend\n"
                                        "          docker push ${{ secrets.DOCKER_REPO }}:backend-latest\n",
        "manage.py": MANAGE}, expect=(("docker-compose.yml", 6),)),
    # The repository is github.com/lena-k/notes: lena-k publishes the images the stack runs.
    Example("images-of-the-repository-owner", {
        "docker-compose.yml": "services:\n  api:\n    image: lena-k/notes-api\n    volumes:\n      - ./api:/app\n"
                              "  ui:\n    image: lena-k/node-dev\n    volumes:\n      - ./ui:/app\n",
        ".git/config": "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = https://github.com/lena-k/notes.git\n"
                       "\tfetch = +refs/heads/*:refs/remotes/origin/*\n", "api/manage.py": MANAGE}),
    # The stack builds its proxy and pulls the owner's application image, which the owner's pipeline publishes.
    Example("image-of-the-repository-owner-beside-a-build", {
        "docker-compose.prod.yml": "services:\n  web:\n    image: ghcr.io/lena-k/notes/web:latest\n  nginx:\n"
                                   "    build: ./nginx\n  cache:\n    image: redis:latest\n",
        ".git/config": "[remote \"origin\"]\n\turl = https://github.com/Lena-K/notes.git\n", "api/manage.py": MANAGE},
        expect=(("docker-compose.prod.yml", 7),)),
    Example("images-of-another-owner", {
        "docker-compose.yml": "services:\n  api:\n    image: lena-k/notes-api\n    volumes:\n      - ./api:/app\n",
        ".git/config": "[remote \"origin\"]\n\turl = git@github.com:notes-team/notes.git\n", "api/manage.py": MANAGE},
        expect=(("docker-compose.yml", 3),)),
    # The cache drifts harmlessly; a new PostgreSQL major cannot read the developer's data volume.
    Example("development-stack-of-a-project-deployed-elsewhere", {
        **DEV_AND_PROD, "compose.yaml": DEV_COMPOSE.replace("postgres:16", "postgres:latest")
        + "  cache:\n    image: redis\n    ports:\n      - \"6379:6379\"\n"},
        expect=(("compose.yaml", 14),)),
    Example("development-stack-is-all-it-has", {
        **DEV_ONLY, "compose.yaml": DEV_COMPOSE.replace("postgres:16", "postgres:latest")
        + "  cache:\n    image: redis\n    ports:\n      - \"6379:6379\"\n"},
        expect=(("compose.yaml", 14), ("compose.yaml", 20))),
    Example("image-built-on-the-machine", {
        "compose.yaml": "services:\n  web:\n    image: app\n    command: gunicorn shop.wsgi\n  worker:\n"
                        "    image: app\n    command: celery -A shop worker\n  cache:\n    image: redis\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 9),)),
    # The README builds the image under the name the compose file runs: no pull fetches it.
    Example("image-the-readme-builds", {
        "compose.yaml": "services:\n  web:\n    image: quay.io/acme/shop:dev\n    command: gunicorn shop.wsgi\n",
        "README.md": "# Shop\n\n1. Build the image: `docker build -t quay.io/acme/shop:dev .`\n"
                     "2. `docker compose up`\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    # CD builds and pushes the backend and frontend images the production stack pulls; nginx is in the same account.
    Example("images-the-pipeline-publishes", {
        "docker-compose.prod.yml": "services:\n  web:\n    image: kim-dev/shop-backend:latest\n"
                                   "    command: gunicorn shop.wsgi\n  ui:\n    image: kim-dev/shop-frontend:latest\n"
                                   "  proxy:\n    image: kim-dev/shop-nginx\n  cache:\n    image: redis:latest\n",
        ".github/workflows/cd.yml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
                                    "      - uses: docker/build-push-action@v5\n        with:\n"
                                    "          context: ./backend\n          push: true\n"
                                    "          tags: kim-dev/shop-backend:latest\n"
                                    "      - uses: docker/build-push-action@v5\n        with:\n"
                                    "          context: ./frontend\n          push: true\n          tags: |\n"
                                    "            kim-dev/shop-frontend:latest\n"
                                    "            kim-dev/shop-frontend:${{ github.sha }}\n",
        "backend/Dockerfile": REQUIREMENTS_DOCKERFILE, "backend/manage.py": MANAGE},
        expect=(("docker-compose.prod.yml", 10),)),
    # Jenkins pushes the images under the branch's name: the stack follows that channel on purpose.
    Example("images-a-jenkinsfile-pushes", {
        "docker-compose.yml": "services:\n  web:\n    image: acme/kp:web-develop\n    command: gunicorn kp.wsgi\n",
        "Jenkinsfile": "node {\n  stage('push') {\n    sh 'docker build -f Dockerfile -t web .'\n"
                       "    sh 'docker tag web acme/kp:web-develop && docker push acme/kp:web-develop'\n  }\n}\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("certificate-client", {
        "compose.yaml": "services:\n  web:\n    build: .\n  certbot:\n    image: certbot/certbot\n"
                        "  cache:\n    image: redis:latest\n  proxy:\n    image: jonasal/nginx-certbot\n"
                        "  tunnel:\n    image: cloudflare/cloudflared:latest\n"
                        "  le:\n    image: quay.io/letsencrypt/letsencrypt\n"
                        "  manager:\n    image: jc21/nginx-proxy-manager:latest\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 7),)),
    Example("test-environment-folder", {
        "scripts/test-environments/oidc/compose.yml": "services:\n  idp:\n    image: authelia/authelia:latest\n"}),
    Example("the-projects-own-image-beside-a-build", {
        "compose.yaml": "name: bookshelf\nservices:\n  web:\n    build: .\n  docs:\n    image: bookshelf/docs:latest\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("compose.yaml", 6),)),
    Example("anchor-shared-by-two-services-reported-once", {
        "compose.yaml": "x-worker: &worker\n  image: myorg/tasks\n  restart: always\nservices:\n"
                        "  default:\n    <<: *worker\n  mail:\n    <<: *worker\n"},
        expect=(("compose.yaml", 2),)),
    # A compose file named as a template is a fragment a user copies and fills in, not a stack anyone runs as it is;
    # an example stack is run as it is.
    Example("one-image-three-services", {
        "compose.yaml": "services:\n  web:\n    image: ghcr.io/acme/api:latest\n    command: gunicorn app.wsgi\n"
                        "  worker:\n    image: ghcr.io/acme/api:latest\n    command: celery -A app worker\n"
                        "  beat:\n    image: ghcr.io/acme/api:latest\n    command: celery -A app beat\n",
        "manage.py": MANAGE}, expect=(("compose.yaml", 3),)),
    Example("stack-fragment-named-as-a-template", {
        "compose.yaml": "services:\n  web:\n    build: .\n  cache:\n    image: redis:7-alpine\n",
        "deploy/celery/prod-template.yml": "services:\n  worker:\n    build: .\n"
                                           "    command: celery -A shop worker  # TODO: your project's name\n"
                                           "  broker:\n    image: redis:alpine\n",
        "docker-compose.tpl.yml": "services:\n  cache:\n    image: redis\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    Example("example-stack-run-as-it-is", {
        "compose.yaml": "services:\n  web:\n    build: .\n  cache:\n    image: redis:7-alpine\n",
        "docker-compose.example.yml": "services:\n  web:\n    build: .\n  cache:\n    image: redis:alpine\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("docker-compose.example.yml", 5),)),
    # The image the development stack builds to its `development` target has a `production` stage: that stage is
    # what the project deploys, and the stack's cache is the developers'. Without such a stage the stack
    # is what ships.
    Example("development-target-of-an-image-with-a-production-stage", {
        "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      target: development\n"
                        "    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n"
                        "  cache:\n    image: redis\n",
        "Dockerfile": "FROM python:3.12-slim AS base\nWORKDIR /app\nCOPY . .\n"
                      "RUN pip install --no-cache-dir django gunicorn\n\nFROM base AS production\n"
                      "CMD [\"gunicorn\", \"shop.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n\nFROM base AS development\n"
                      "RUN pip install --no-cache-dir django-debug-toolbar\n",
        "manage.py": MANAGE}),
    Example("development-target-of-an-image-without-a-production-stage", {
        "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      target: development\n"
                        "    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n"
                        "  cache:\n    image: redis\n",
        "Dockerfile": "FROM python:3.12-slim AS base\nWORKDIR /app\nCOPY . .\n"
                      "RUN pip install --no-cache-dir django gunicorn\n\nFROM base AS server\n"
                      "CMD [\"gunicorn\", \"shop.wsgi\", \"-b\", \"0.0.0.0:8000\"]\n\nFROM base AS development\n"
                      "RUN pip install --no-cache-dir django-debug-toolbar\n",
        "manage.py": MANAGE}, expect=(("compose.yaml", 10),)),
    # A "prod-like" gunicorn container configured by the local env file is the developers' too.
    Example("prod-like-container-of-the-local-stack", {
        **DEV_AND_PROD, "compose.yaml": "services:\n  web:\n    build: .\n"
                                        "    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                                        "    env_file:\n      - docker/config/local_dev.env\n"
                                        "  cache:\n    image: redis\n",
        "docker/config/local_dev.env": "DEBUG=1\nSTATSD_HOST=statsd\n"}),
    Example("container-of-an-unnamed-env-file", {
        **DEV_AND_PROD, "compose.yaml": "services:\n  web:\n    build: .\n"
                                        "    command: gunicorn app.wsgi -b 0.0.0.0:8000\n"
                                        "    env_file:\n      - docker/config/web.env\n"
                                        "  cache:\n    image: redis\n",
        "docker/config/web.env": "DEBUG=1\nSTATSD_HOST=statsd\n"}, expect=(("compose.yaml", 8),)),
    # The image serves with gunicorn by itself: its entrypoint dispatches `web` to a script that starts runserver
    # only behind `--dev`, which the development stack passes. That image is what ships.
    Example("development-stack-of-an-image-that-serves-by-itself", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: [\"web\", \"--dev\"]\n    volumes:\n"
                        "      - .:/app\n  cache:\n    image: redis\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\n"
                      "RUN pip install --no-cache-dir django gunicorn\n"
                      "ENTRYPOINT [\"/bin/bash\", \"/app/bin/entrypoint.sh\"]\nCMD [\"web\"]\n",
        "bin/entrypoint.sh": "#!/usr/bin/env bash\nset -eo pipefail\nSERVICE=$1\nshift\ncase ${SERVICE} in\n"
                             "web)\n    exec ./bin/run_web.sh $@\n    ;;\nesac\n",
        "bin/run_web.sh": "#!/bin/bash\nif [ \"$1\" == \"--dev\" ]; then\n    python manage.py runserver 0.0.0.0:8000\n"
                          "else\n    ${CMD_PREFIX} gunicorn --bind 0.0.0.0:8000 shop.wsgi:application\nfi\n",
        "manage.py": MANAGE}),
    Example("development-stack-of-an-image-that-serves-with-runserver", {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: [\"web\", \"--dev\"]\n    volumes:\n"
                        "      - .:/app\n  cache:\n    image: redis\n",
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install --no-cache-dir django\n"
                      "ENTRYPOINT [\"/bin/bash\", \"/app/bin/entrypoint.sh\"]\nCMD [\"web\"]\n",
        "bin/entrypoint.sh": "#!/usr/bin/env bash\nset -eo pipefail\nSERVICE=$1\nshift\ncase ${SERVICE} in\n"
                             "web)\n    exec ./bin/run_web.sh $@\n    ;;\nesac\n",
        "bin/run_web.sh": "#!/bin/bash\nif [ \"$1\" == \"--dev\" ]; then\n    python manage.py runserver 0.0.0.0:8000\n"
                          "else\n    python manage.py runserver 0.0.0.0:8000 --noreload\nfi\n",
        "manage.py": MANAGE}, expect=(("compose.yaml", 8),)),
])
def service_image_unpinned(project: Project) -> Iterator[Violation]:
    """A service's `image:` is not pinned to a version.

    ## What it does
    Reports `image:` without a tag, with `:latest`, or with a tag that fixes no version
    (not the image of a data-volume container, whose command is `true` or an `echo`, nor a
    template's placeholder, `app:<slug>`, which its installer fills in):
    channels and variants alone (`redis:alpine`, `rabbitmq:management`, `node:lts-alpine`,
    `postgres:alpine`). A major is enough (`redis:7-alpine`, `nginx:1-alpine`,
    `postgres:16`, a Node codename such as `node:hydrogen`): within a major an image
    stays compatible, and the major is what a database's data directory needs; so is
    nginx's stable or mainline channel (`nginx:stable-alpine`; `nginx`, `nginx:latest`
    and `nginx:alpine` are mainline's own tags), a choice within nginx 1, and an image
    whose name holds its version (Red Hat's `rhel9/postgresql-16`), whose tags follow patches.
    Services that `build:` their image
    (the `image:` then names the result), an image another service of the project
    builds (its `image:`, or the `<project>-<service>` name Compose gives it), digests,
    and an image written with a variable anywhere are fine: a tag from a variable, with or
    without a default (`postgres:${PG_VERSION}`, DJC214's business when nothing sets it;
    `acme/app:${APP_RELEASE:-stable}`, which an installer or the `.env` sets to a release),
    or an image that is a variable as a whole (`${IMAGE-acme/app:latest}`): whoever runs
    the stack chooses it. So is an image pulled under a tag the project's CI pipeline pushes to the
    repository its secret names (`docker push ${{ secrets.DOCKER_REPO }}:backend-latest`, then
    `image: acme/notes:backend-latest`), other than `latest`. So is the project's own published image
    in a compose file that builds nothing, the one the project gives its users to
    install it (`ghcr.io/paperless-ngx/paperless-ngx:latest` in paperless-ngx,
    `mathesar/mathesar:latest` in mathesar): an image whose repository path names the
    project (the repository's folder, or the compose file's top-level `name:`), or
    whose namespace is the repository's owner (`lena-k/notes-api` in a clone of
    `github.com/lena-k/notes`, as git's remote `origin` names it; such an image in a
    compose file that builds another service too). Its
    maintainers publish it and mean users to follow its latest release, whose
    migrations upgrade the data; a finding would ask them to pin their own release in
    every install file and bump it at each release, which they chose not to do. So is an image the project's CI
    pipeline or a launch script publishes (`docker push`, `docker tag`, the `tags:` of
    `docker/build-push-action`, Jenkins' `docker.build`), or another image of the account it
    publishes to: the pipeline replaces that tag at each deploy. So is a service Watchtower keeps
    on its tag's newest image (labelled `com.centurylinklabs.watchtower.enable=true`, or Watchtower itself): the
    stack is built to follow it; a Watchtower started with no label filter, scope or list of containers
    (`command: --interval 3600 --cleanup`) updates every container of the stack, and each but a database (whose
    new major may not read its data) follows its tag on purpose. And so are the services of an editor's
    development container (a compose file in `.devcontainer/`): they serve the editor's
    workspace, nothing deploys them. A line several services share through an anchor is
    reported once.

    A bare name that is no official image (`image: app`) is built on the machine
    (`docker build -t app .`): no pull fetches it, and it is not reported; nor is an
    image the README, the `docs/` or a launch script builds under the name the compose
    file runs (`docker build -t quay.io/acme/shop:dev .`, or in a loop, `docker build -t
    acme/$NAME -f docker/$NAME/Dockerfile .` for `image: acme/django`).

    A certificate client (certbot, its former `letsencrypt` image, acme.sh, lego,
    acme-companion, an nginx bundled with certbot such as `jonasal/nginx-certbot` or Nginx
    Proxy Manager) and Cloudflare's tunnel client (`cloudflare/cloudflared`) are left to
    follow the newest release, as their documentation runs them: they must keep up with
    the CA's or Cloudflare's protocol.

    A development stack's services (runserver, the source bind-mounted, a `dev`/`local`
    compose file) are not reported when the project also has a deployed configuration:
    the cache a developer starts on their machine is not what a
    server runs, and the deployed stack is reported. Its database still is: a new major
    version may not read the data directory a developer keeps between runs. A project
    whose only stack is a development one ships it, and is reported.

    Memcached keeps nothing on disk and its releases all speak one protocol: a pull of
    another release changes nothing the application sees, and it is not reported.

    A developer's tool beside the application (a mail catcher such as Mailpit or MailHog, a
    database browser such as pgAdmin or Adminer, a viewer of the API's schema such as
    Swagger UI) is left to follow its releases wherever it runs: the application depends
    on none of its features, and what it keeps (pgAdmin's own settings) it migrates itself.

    A PostgreSQL, MySQL or MariaDB service the settings never connect to (every Django
    service's settings use SQLite; DJC305 reports them) is left alone. An image several
    services of a file run is reported once, on the first, naming the others.

    ## Why is this bad?
    `docker compose pull` silently moves to a new release. For a database that is a
    data-safety problem: a new PostgreSQL major version cannot read the old data
    directory and the database does not start; MySQL and MariaDB convert it in place as
    they start, one way (the old version cannot go back to it), MongoDB refuses data files
    more than one major behind.

    ## Example
    ```yaml
    image: postgres
    ```
    Use instead:
    ```yaml
    image: postgres:16-alpine
    ```

    ## References
    - [Docker's Compose and Django quickstart](https://github.com/docker/awesome-compose/tree/master/official-documentation-samples/django)
      (`image: postgres` without a tag)
    - [Docker Hub: postgres, PGDATA and major upgrades](https://hub.docker.com/_/postgres)
    """
    stack = project.stack
    from_shell = {v.location for v in stack.unset_variables + stack.required_variables} if stack else set()
    built = built_images(project) | built_by_instructions(project) | project.scripted_images
    published = published_by_pipelines(project)
    namespaces = {_namespace(repository) for repository in published} - {""}
    # `${{ vars.DOCKER_USERNAME }}/shop_django`: pushed to an account a variable names, under that image's name
    names_anywhere = {repository.rsplit("/", 1)[-1] for repository in published
                      if _namespace(repository) == PIPELINE_EXPRESSION.lower()}
    pushed_tags = tags_published_by_pipelines(project)
    builds = any(service.build for service in project.services)
    found: list[tuple[str, str, Violation]] = []
    follows_all = _watchtower_follows_every_container(project)  # (a service labelled out aside)
    for service in project.services:
        if service.image is None or service.build is not None or not service.image.value:
            continue
        if never_deployed(project, service.image.location.path):
            continue  # a test or CI stack's image, or the editor's development container's: nothing deploys it
        if service.image.location in from_shell or service.image_chosen or service.image_variable:
            continue  # `postgres:${PG_VERSION}`, `app:${TAG:-stable}`, `${IMAGE-app:latest}`: the runner's choice
        known = data_service(service.image.value)
        if known is not None and unused_database(project, service):
            continue  # a database the settings never connect to (SQLite): its version is moot
        if project.development_only(service) and not (known and known.persistent):
            continue  # a development stack's cache, and the project is deployed with another stack
        if known is not None and not known.data_dirs:
            continue  # Memcached keeps nothing on disk, and every release speaks the same protocol
        if development_tool(service.image.value):
            continue  # a mail catcher, a database browser: nothing depends on its version, and it migrates its own
        if PLACEHOLDER.search(service.image.value):
            continue  # `app:<slug>`: a template's placeholder, which its installer fills in with a release
        if holds_volumes_only(service):
            continue  # `image: busybox` with `command: "true"`: a data-volume container, which runs nothing
        image = parse_image(service.image.value)
        if local_image(service.image.value):
            continue  # `image: app`, built with `docker build -t app .`: no pull fetches a bare unofficial name
        if ACME_CLIENT.search(image.repository):
            continue  # a certificate client follows the CA's protocol and roots: its newest release, on purpose
        if _followed_by_watchtower(service, image.repository) or (
                not (known and known.persistent) and _watchtower_label(service) != "false" and follows_all):
            continue  # Watchtower pulls the tag's newest image on purpose: the stack is built to follow it
        if image.digest or image.repository in built:
            continue  # an image another service of the project builds
        if image.repository in published or _namespace(image.repository) in namespaces \
                or "/" in image.repository and image.repository.rsplit("/", 1)[-1] in names_anywhere or (
                image.tag in pushed_tags and not official_image(image.repository)):
            continue  # the project's own release, which its pipeline pushes under that tag (or to that account, or
            # to the repository its secret names, `${{ secrets.DOCKER_REPO }}:backend-latest`)
        if release_channel(image) or versioned_name(image):
            continue  # an nginx channel (`nginx:alpine` is mainline's), a name that holds the version (`python-312`)
        if (not builds and project.runs_own_published_image(service)) or runs_owners_image(project, service):
            continue  # the project's own published image (or its owner's), which its compose file follows on purpose
        if image.tag is None or image.tag == "latest":
            why = (f"a new {known.kind} major version {known.new_major}"
                   if known and known.persistent else "a pull may bring another version")
            shown = "no tag" if image.tag is None else "`:latest`"
            found.append((service.name, service.image.value, Violation(
                service.image.location, f"service {service.name}: image {service.image.value} has {shown}: {why}; "
                                        f"pin a version")))
        elif not fixes_a_version(image):
            why = (f"a new {known.kind} major {known.new_major}" if known and known.persistent
                   else "a pull may bring another version")
            found.append((service.name, service.image.value, Violation(
                service.image.location, f"service {service.name}: image {service.image.value}: the tag `{image.tag}` "
                                        f"fixes no version; {why}; pin one (a major at least)")))
    yield from once_per_line(_once_per_image(found))


def _namespace(repository: str) -> str:
    """The account an image is published under (``kim-dev`` of ``kim-dev/shop``, ``ghcr.io/acme`` of
    ``ghcr.io/acme/shop``); empty for an official image (``redis``)."""
    return repository.rsplit("/", 1)[0] if "/" in repository else ""


def _once_per_image(found: list[tuple[str, str, Violation]]) -> Iterator[tuple[str, Violation]]:
    """Each image of a compose file once, on the first service that runs it, naming the others that do (one pin
    fixes them all); services that share the line through an anchor stay for :func:`once_per_line`."""
    groups: dict[tuple[Path, str], list[tuple[str, Violation]]] = {}
    for name, image, violation in found:
        groups.setdefault((violation.location.path, image), []).append((name, violation))
    for group in groups.values():
        name, first = group[0]
        others = [other for other, violation in group[1:] if violation.location != first.location]
        if others:
            first = replaced(first, message=f"{first.message} (services {', '.join(others)} run it too)")
        yield from [(name, first)] + [(other, violation) for other, violation in group[1:]
                                      if violation.location == first.location]


ACME_CLIENT = re.compile(r"(?:^|/)(?:certbot|letsencrypt|acme\.sh|lego|acme-companion|"
                         r"letsencrypt-nginx-proxy-companion|nginx-certbot|nginx-proxy-manager|cloudflared)(?:$|/|-dns)",
                         re.I)
"""Certificate clients (certbot, acme.sh, lego, acme-companion, and nginx bundled with certbot, as in Nginx Proxy
Manager) and Cloudflare's tunnel client: they must follow the CA's or Cloudflare's protocol changes (Cloudflare
supports a ``cloudflared`` release for a year), and their own documentation runs the newest release."""


PLACEHOLDER = re.compile(r"<[^<>]*>")
"""A template's placeholder in an image (``bitswan/backend:<slug>``), which no reference may hold."""


WATCHTOWER_LABEL = "com.centurylinklabs.watchtower.enable"
WATCHTOWER = re.compile(r"(?:^|/)watchtower$")


WATCHTOWER_SWITCHES = frozenset({"--label-enable", "--monitor-only", "--run-once", "-R", "--no-pull"})
"""Watchtower's options that keep it from updating every container: labelled ones only, a report only, one pass,
no pulls."""
WATCHTOWER_SWITCH_VARIABLES = ("WATCHTOWER_LABEL_ENABLE", "WATCHTOWER_MONITOR_ONLY", "WATCHTOWER_RUN_ONCE",
                               "WATCHTOWER_SCOPE", "WATCHTOWER_NO_PULL", "DOCKER_HOST")


def _watchtower_follows_every_container(project: Project) -> bool:
    """Whether a Watchtower of the stack updates every container: started with no label filter, scope or list of
    containers (``command: --interval 3600 --cleanup``)."""
    names = {other.name for other in project.services} | {
        other.container_name.value for other in project.services if other.container_name is not None}
    for watcher in project.services:
        if watcher.image is None or WATCHTOWER.search(parse_image(watcher.image.value).repository) is None:
            continue
        words = [part for word in (watcher.command.value if watcher.command else ()) for part in word.split("=", 1)]
        if not (WATCHTOWER_SWITCHES.intersection(words) or names.intersection(words) or any(
                option.startswith("--scope") for option in words)
                or not project.environment_known(watcher)
                or any(name in project.service_environment(watcher) for name in WATCHTOWER_SWITCH_VARIABLES)):
            return True  # no filter: Watchtower checks every running container of the host
    return False


def _watchtower_label(service: Service) -> str:
    """The service's ``com.centurylinklabs.watchtower.enable`` label, lower-case (empty without one)."""
    return service.labels.get(WATCHTOWER_LABEL, "").strip("\"'").lower()


def _followed_by_watchtower(service: Service, repository: str) -> bool:
    """Whether Watchtower keeps the service on its tag's newest image: the service is labelled for it
    (``com.centurylinklabs.watchtower.enable=true``), or is Watchtower itself (``containrrr/watchtower``)."""
    return _watchtower_label(service) == "true" or WATCHTOWER.search(repository) is not None
