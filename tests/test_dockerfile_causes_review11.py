"""Causes found by the eleventh review in the Dockerfile rules: images a build function tags through a variable
(DJC106), entrypoints run by their bare name and s6-overlay base images (DJC108), a server's configuration folder
copied before its install (DJC103), base images that may disable pip's cache (DJC110)."""

from __future__ import annotations

import time

from conftest import lint, write_files

from djlint_docker.images import s6_overlay_base
from djlint_docker.parse.shell import Command
from djlint_docker.rules.dockerfile.djc106_base_image_unpinned import ASSIGNMENT, TAG_OPTION, _substituted
from djlint_docker.rules.dockerfile.djc108_runs_as_root import _drops_root
from djlint_docker.rules.snippets import MANAGE


def _found(root, code):
    return sorted((f.path, f.line) for f in lint(root) if f.code == code)


# -- DJC106 -------------------------------------------------------------------------------------------------------


def test_tag_through_variables_is_substituted_until_the_image_argument():
    values = {"image_local": "${1}:local", "image_branch": "${1}:${branch_md5}"}
    assert _substituted("$image_local", values) == "${1}:local"
    assert _substituted("${image_branch}", values) == "${1}:${branch_md5}"
    assert _substituted("shop-base", values) == "shop-base"
    assert _substituted("$a", {"a": "$b", "b": "$a"}) == "$a"  # a loop ends


def test_script_at_the_top_with_a_literal_variable_tags_the_image(tmp_path):
    write_files(tmp_path, {
        "build.sh": "#!/bin/sh\nBASE=shop/base\ndocker build -t \"$BASE\" -f docker/base.Dockerfile .\n",
        "docker/base.Dockerfile": "FROM python:3.12-slim\n",
        "Dockerfile": "FROM shop/base\nCOPY . /app\n", "manage.py": MANAGE})
    assert _found(tmp_path, "DJC106") == []


def test_variable_tag_with_no_literal_tag_exempts_nothing(tmp_path):
    write_files(tmp_path, {
        "ci/build.sh": "#!/bin/sh\nbuild() {\n  docker build -t \"$1\" \"$@\"\n}\nbuild acme/shop-base .\n",
        "Dockerfile": "FROM acme/shop-base:local\nCOPY . /app\n", "manage.py": MANAGE})
    assert _found(tmp_path, "DJC106") == [("Dockerfile", 1)]


def test_script_patterns_stay_linear_on_long_lines():
    long = "x=" + "a" * 200_000 + " " + "-t " * 50_000
    started = time.perf_counter()
    ASSIGNMENT.findall(long)
    TAG_OPTION.findall("docker build " + "-t" * 100_000)
    TAG_OPTION.findall(long)
    assert time.perf_counter() - started < 2


# -- DJC108 -------------------------------------------------------------------------------------------------------


def test_set_then_exec_drops_through_the_dropper():
    assert _drops_root(Command(("set", "--", "su-exec", "django", "$@", "--config", "/etc/gunicorn/config.py")))
    assert _drops_root(Command(("set", "--", "gosu", "app", "$@")))
    assert not _drops_root(Command(("set", "--", "gunicorn", "$@")))
    assert not _drops_root(Command(("set", "--")))
    assert not _drops_root(Command(("set", "-e")))


def test_s6_overlay_base_images():
    for image in ("ghcr.io/linuxserver/baseimage-alpine", "lscr.io/linuxserver/baseimage-debian",
                  "linuxserver/baseimage-ubuntu", "lsiobase/alpine"):
        assert s6_overlay_base(image), image
    for image in ("python", "linuxserver/nginx", "acme/baseimage-alpine", "ghcr.io/linuxserver/baseimage"):
        assert not s6_overlay_base(image), image


def test_s6_base_image_with_a_cmd_of_its_own_is_not_taken_for_init(tmp_path):
    write_files(tmp_path, {
        "Dockerfile": "FROM lscr.io/linuxserver/baseimage-alpine:3.20\nRUN pip3 install --no-cache-dir django\n"
                      "COPY root/ /\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "root/etc/s6-overlay/s6-rc.d/svc-app/run": "#!/usr/bin/with-contenv bash\n"
                                                   "exec s6-setuidgid abc gunicorn app.wsgi\n",
        "manage.py": MANAGE})
    assert _found(tmp_path, "DJC108") == [("Dockerfile", 1)]


def test_entrypoint_by_name_copied_with_a_folder(tmp_path):
    write_files(tmp_path, {
        "Dockerfile": "FROM acme/python-base:3.12\nCOPY scripts /scripts\nCOPY . /app\n"
                      "ENTRYPOINT [\"tini\", \"--\", \"start-app\"]\n",
        "scripts/start-app": "#!/bin/sh\nchown -R app /app/media\nexec gosu app gunicorn app.wsgi\n",
        "manage.py": MANAGE})
    assert _found(tmp_path, "DJC108") == []


def test_entrypoint_by_name_never_copied_stays_unknown(tmp_path):
    write_files(tmp_path, {
        "Dockerfile": "FROM acme/python-base:3.12\nCOPY . /app\nENTRYPOINT [\"tini\", \"--\", \"start-app\"]\n",
        "other/start-app": "#!/bin/sh\nexec gosu app gunicorn app.wsgi\n", "manage.py": MANAGE})
    assert _found(tmp_path, "DJC108") == [("Dockerfile", 1)]


# -- DJC103 -------------------------------------------------------------------------------------------------------


def _folder_copy(files):
    return {"Dockerfile": "FROM python:3.12-slim\nCOPY server/ /etc/server/\n"
                          "RUN pip install --no-cache-dir -r /etc/server/requirements.txt\nWORKDIR /app\nCOPY . .\n",
            "server/requirements.txt": "gunicorn==23.0.0\n", "manage.py": MANAGE, ".dockerignore": ".git\n", **files}


def test_configuration_folder_with_two_modules_is_no_source(tmp_path):
    write_files(tmp_path, _folder_copy({"server/config.py": "workers = 3\n", "server/hooks.py": "def on_exit(s):\n"
                                                                                                 "    pass\n"}))
    assert _found(tmp_path, "DJC103") == []


def test_folder_with_three_loose_modules_is_source(tmp_path):
    write_files(tmp_path, _folder_copy({f"server/{name}.py": "x = 1\n" for name in ("a", "b", "c")}))
    assert _found(tmp_path, "DJC103") == [("Dockerfile", 2)]


def test_folder_with_a_package_or_a_project_module_is_source(tmp_path):
    write_files(tmp_path, _folder_copy({"server/config.py": "workers = 3\n", "server/app/views.py": "x = 1\n"}))
    assert _found(tmp_path, "DJC103") == [("Dockerfile", 2)]
    (tmp_path / "server/app/views.py").unlink()
    write_files(tmp_path, {"server/settings.py": "DEBUG = False\n"})
    assert _found(tmp_path, "DJC103") == [("Dockerfile", 2)]


# -- DJC110 -------------------------------------------------------------------------------------------------------


def test_image_argument_the_compose_file_does_not_pass_is_taken_for_an_official_image(tmp_path):
    write_files(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: ./app\n", ".env": "APP_IMAGE=ghcr.io/acme/helpdesk:24.1.0\n",
        "app/Dockerfile": "ARG APP_IMAGE\nFROM ${APP_IMAGE}\nRUN pip install helpdesk-plugin-s3==1.2.0\n",
        "app/manage.py": MANAGE})
    assert _found(tmp_path, "DJC110") == [("app/Dockerfile", 3)]


def test_organisation_base_image_may_disable_the_cache(tmp_path):
    # (not an Example: the hadolint oracle, which sees the Dockerfile alone, reports it as DL3042)
    write_files(tmp_path, {
        "Dockerfile": "FROM acme/python-base:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
        "manage.py": MANAGE})
    assert _found(tmp_path, "DJC110") == []


def test_own_base_image_that_keeps_the_cache_is_known(tmp_path):
    write_files(tmp_path, {
        "compose.yaml": "services:\n  base:\n    build: {context: ., dockerfile: Dockerfile.base}\n"
                        "    image: shop/base\n  web:\n    build: .\n",
        "Dockerfile.base": "FROM python:3.12-slim\n",
        "Dockerfile": "FROM shop/base\nRUN pip install django==5.1.4\n", "manage.py": MANAGE})
    assert _found(tmp_path, "DJC110") == [("Dockerfile", 2)]
