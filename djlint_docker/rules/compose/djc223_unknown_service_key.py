"""DJC223 unknown-service-key: A service sets a key the Compose specification does not have."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.compose._stack import once_per_line
from djlint_docker.rules.snippets import MANAGE, REQUIREMENTS_DOCKERFILE

MISSPELT = """\
services:
  db:
    image: postgres:16
    volumnes:
      - pgdata:/var/lib/postgresql/data
  web:
    build: .
    command: gunicorn app.wsgi --bind 0.0.0.0:8000
    depends_on:
      - db
volumes:
  pgdata:
"""
"""A beginner's stack with a misspelt ``volumes:``."""


@rule("DJC223", "unknown-service-key", Severity.ERROR, examples=[
    Example("misspelt-key", {"compose.yaml": MISSPELT, "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE},
            expect=(("compose.yaml", 4),)),
    Example("spelt-right", {"compose.yaml": MISSPELT.replace("volumnes", "volumes"),
                            "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}),
    # Extension fields (`x-`) are Compose's own way to keep data of one's own in a service.
    Example("extension-field", {"compose.yaml": MISSPELT.replace("volumnes", "volumes").replace(
        "  web:\n", "  web:\n    x-traefik-host: shop.example.org\n"), "Dockerfile": REQUIREMENTS_DOCKERFILE,
        "manage.py": MANAGE}),
    # The version 2 format's `volume_driver` is gone from the specification: Compose v2 refuses it.
    Example("key-of-the-version-2-format", {
        "docker-compose.yml": "version: \"2.4\"\nservices:\n  web:\n    build: .\n    volume_driver: local\n"
                              "    command: gunicorn app.wsgi --bind 0.0.0.0:8000\n",
        "Dockerfile": REQUIREMENTS_DOCKERFILE, "manage.py": MANAGE}, expect=(("docker-compose.yml", 5),)),
])
def unknown_service_key(project: Project) -> Iterator[Violation]:
    """A service sets a key the Compose specification does not have.

    ## What it does
    Reports a key of a service that is none of the keys the Compose specification gives a
    service (`image`, `build`, `volumes`, `depends_on` ... ninety-odd in all, as the schema
    Compose validates with lists them), nor an extension field (`x-...`), and names the
    key it most likely means. Not in a file of the version 1 format (its services at the
    top level, which DJC001 reports). A key that several services share through an anchor
    (`<<: *app`) is reported once, where it is written.

    ## Why is this bad?
    Compose validates every file against the specification's schema and refuses to run
    any of the project's services: `services.db.volumnes false schema` (in older releases
    "Additional property volumnes is not allowed"). A key of the version 2 format that the
    specification dropped (`volume_driver`) stops the project the same way.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:16
        volumnes:
          - pgdata:/var/lib/postgresql/data
    ```
    Use instead:
    ```yaml
    services:
      db:
        image: postgres:16
        volumes:
          - pgdata:/var/lib/postgresql/data
    ```

    ## References
    - [Compose file reference: services](https://docs.docker.com/reference/compose-file/services/)
    - [The Compose specification's schema](https://github.com/compose-spec/compose-spec/blob/main/schema/compose-spec.json)
      (`additionalProperties: false`; `patternProperties: "^x-"`)
    """
    stack = project.stack
    if stack is None or stack.version_1_files:
        return
    yield from once_per_line(_violations(project))


def _violations(project: Project) -> Iterator[tuple[str, Violation]]:
    for service in project.services:
        for key, location in service.keys.items():
            if key in SERVICE_KEYS or key.startswith("x-") or key == "<<":
                continue
            near = difflib.get_close_matches(key, SERVICE_KEYS, n=1, cutoff=0.7)
            meant = f"; did you mean `{near[0]}`?" if near else ""
            yield service.name, Violation(location, f"service {service.name}: `{key}` is no key of a Compose service: "
                                                    f"Compose refuses the file (\"services.{service.name}.{key} false "
                                                    f"schema\") and starts none of its services{meant}")


SERVICE_KEYS = frozenset({
    "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command",
    "configs", "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period",
    "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop",
    "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "domainname", "entrypoint", "env_file",
    "environment", "expose", "extends", "external_links", "extra_hosts", "gpus", "group_add", "healthcheck",
    "hostname", "image", "init", "ipc", "isolation", "label_file", "labels", "links", "logging", "mac_address",
    "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "models", "network_mode", "networks",
    "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start", "pre_start",
    "pre_stop", "privileged", "profiles", "provider", "pull_policy", "pull_refresh_after", "read_only", "restart",
    "runtime", "scale", "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal",
    "storage_opt", "sysctls", "tmpfs", "tty", "ulimits", "use_api_socket", "user", "userns_mode", "uts", "volumes",
    "volumes_from", "working_dir",
})
"""The keys of a service in the Compose specification's schema (compose-go's ``compose-spec.json``, 2025)."""
