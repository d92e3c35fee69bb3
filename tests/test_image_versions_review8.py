"""What djcheck knows about image tags, base images' environments and which Django a Python installs (review 8)."""

from __future__ import annotations

import pytest

from djlint_docker.images import fixes_a_version, known_environment, parse_image, release_channel
from djlint_docker.rules.dockerfile._django_versions import last_installable


@pytest.mark.parametrize(("reference", "fixed"), [
    ("node:boron-alpine", True), ("node:hydrogen", True), ("node:jod-bookworm-slim", True),
    ("node:iron-alpine3.20", True), ("node:lts-alpine", False), ("node:current", False), ("node:alpine", False),
    ("acme/boron:latest-alpine", False),  # a codename means a Node major only on node
])
def test_node_codenames_name_a_major(reference, fixed):
    assert fixes_a_version(parse_image(reference)) is fixed


@pytest.mark.parametrize(("reference", "channel"), [
    ("nginx:stable-alpine", True), ("nginx:mainline", True), ("nginx:stable-perl", True),
    ("nginxinc/nginx-unprivileged:stable-alpine", True), ("nginx:alpine", False), ("nginx:latest", False),
    ("nginx", False), ("acme/web:stable", False), ("node:stable", False),
])
def test_nginx_release_channels(reference, channel):
    assert release_channel(parse_image(reference)) is channel


@pytest.mark.parametrize(("reference", "known"), [
    ("python:3.12-slim", True), ("debian:bookworm-slim", True), ("public.ecr.aws/docker/library/python:3.12", True),
    ("quay.io/centos/centos:stream10", True), ("registry.access.redhat.com/ubi9/ubi-minimal", True),
    ("ghcr.io/astral-sh/uv:python3.12-bookworm-slim", True), ("bitnami/python:3.12", True),
    ("cimg/python:3.12", True), ("nikolaik/python-nodejs:python3.12-nodejs22", True),
    ("tiangolo/uvicorn-gunicorn:python3.11", True), ("gcr.io/distroless/python3-debian12", True),
    ("mitodl/ol-python-base:3.11", False), ("ghcr.io/acme/python-base:3.12", False), ("app-base", False),
    ("registry.access.redhat.com/ubi9/python-311", False),  # Red Hat's Python image: its environment is its own
])
def test_environments_djcheck_knows(reference, known):
    assert known_environment(parse_image(reference).repository) is known


@pytest.mark.parametrize(("python", "last"), [
    ("3.8", "4.2"), ("3.9", "4.2"), ("3.10", "5.2"), ("3.11", "5.2"), ("3.12", None), ("3.14", None), ("2.7", None),
])
def test_last_django_a_python_installs(python, last):
    assert last_installable(python) == last
