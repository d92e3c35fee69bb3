"""What kind of file a path is: the one table that discovery, the fixer, suppressions and the pre-commit hook read.

Each kind is known by the file's name (and, for requirements, its folder's). The
pre-commit hook's ``files:`` pattern is built from the same table
(:data:`HOOK_FILES`; a test holds ``.pre-commit-hooks.yaml`` to it): a commit that
touches a file of one of these kinds runs the hook. For Python, only the modules that
say how Django starts and is configured trigger it, not every module of the project.

A Dockerfile is any name Docker builds with ``-f`` as real projects write it
(``Dockerfile``, ``Dockerfile.prod``, ``web.Dockerfile``, ``api.dockerfile``, the
lowercase ``dockerfile`` Docker reads when ``Dockerfile`` is absent, Podman's
``Containerfile``). A compose file is one of Compose's own names; any other YAML file
(kind ``yaml``) is a compose file when its content says so, which discovery reads
(:func:`djlint_docker.parse.compose.outline`).

The table is compiled once, as one pattern whose named groups are the kinds (start-up
time is measured: one compile, not one per kind).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath

SKIP_DIRS = {
    ".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", ".idea", ".vscode", ".direnv",
    ".history",  # the editors' local history (VS Code's Local History): timestamped copies of files, no setup
    # coding assistants' rules and examples (`.amazonq/rules/docker/django/Dockerfile`): nothing builds them
    ".amazonq", ".cursor", ".claude", ".windsurf", ".kiro", ".clinerules",
    # hidden folders of set-aside work (`.draft/docker-compose.yml`): drafts and leftovers nothing runs
    ".draft", ".drafts", ".old", ".backup", ".trash", ".archive",
}
"""Folders no setup lives in: version control, installed packages, caches, editors' and assistants' state, hidden
drafts."""

TEMPLATE_ENGINE_SUFFIX = r"j2|jinja2?|tmpl|tpl"
"""The extensions of a file a template engine renders (Jinja for Ansible or Salt, Go templates): no file of the
setup itself, whatever its name (``Dockerfile.j2``, ``.env.j2``)."""

DOCKERFILE = (rf"(?:Dockerfile|Containerfile)(?![\w.-]*\.(?:{TEMPLATE_ENGINE_SUFFIX}|template|in|bak|orig|old|save|swp"
              r"|md|txt|rst|sh|py|json|ya?ml|toml)$)(?:[._-][\w.-]+)?|[\w.-]+[.-](?:[Dd]ockerfile|[Cc]ontainerfile)|dockerfile"
              r"|containerfile")
"""Dockerfile names; not a template or a copy of one (``Dockerfile.j2``, ``Dockerfile.bak``, an editor's
``Dockerfile.save``), nor another kind."""

#: (kind, the names it covers, the names that trigger the pre-commit hook), first match wins.
TABLE: tuple[tuple[str, str, str], ...] = (
    ("dockerignore", r"[^/]*\.dockerignore", r"[^/]*\.dockerignore"),  # Dockerfile.dockerignore: before Dockerfile
    ("dockerfile", DOCKERFILE, DOCKERFILE),  # Docker reads `dockerfile` too, Podman `Containerfile`
    ("compose", r"(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml", r"(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml"),
    ("requirements", r"(?:[^/]*/)?requirements[^/]*\.(?:txt|in)|requirements/[^/]*\.(?:txt|in)",
     r"requirements[^/]*\.(?:txt|in)|requirements/[^/]*\.(?:txt|in)"),
    ("env", r"\.env[^/]*|[^/]*\.env", r"\.env[^/]*|[^/]*\.env"),
    ("gitignore", r"\.gitignore", r"\.gitignore"),
    ("python", r"[^/]*\.py", r"settings[^/]*\.py|settings/[^/]*\.py|manage\.py|wsgi\.py|asgi\.py"),
    ("script", r"[^/]*\.sh", r"[^/]*\.sh"),
    ("configuration", r"\.djcheck\.toml|pyproject\.toml", r"\.djcheck\.toml|pyproject\.toml"),
    ("yaml", r"[^/]*\.ya?ml", r"[^/]*\.ya?ml"),  # a compose file under another name (local.yml), by its content
)
_KINDS = re.compile(r"(?:[^/]*/)?(?:" + "|".join(f"(?P<{name}>{pattern})" for name, pattern, _ in TABLE) + ")")
HOOK_FILES = r"(^|/)(" + "|".join(hook for _, _, hook in TABLE) + r")$"


def kind(path: PurePath) -> str | None:
    """The kind of the file at ``path`` (``"dockerfile"``, ``"compose"``, ...), or None when djcheck has none for it."""
    named = f"{path.parent.name}/{path.name}" if path.parent.name else path.name
    found = _KINDS.fullmatch(named)
    return found.lastgroup if found is not None else None


PIPELINE_FOLDERS = (".github/workflows", ".circleci", ".gitea/workflows", ".forgejo/workflows", ".semaphore",
                    ".buildkite", ".woodpecker")
PIPELINE_FILES = (".gitlab-ci.yml", "bitbucket-pipelines.yml", "azure-pipelines.yml", ".drone.yml",
                  ".woodpecker.yml", ".travis.yml", "Jenkinsfile", "cloudbuild.yaml", "cloudbuild.yml", "codefresh.yml",
                  "codefresh.yaml", "buildspec.yml", "buildspec.yaml")
"""The pipeline files at a repository's top: GitLab, Bitbucket, Azure, Drone, Woodpecker, Travis, Jenkins, Google Cloud
Build, Codefresh and AWS CodeBuild (``buildspec.yml``)."""
MAX_PIPELINES = 30


def pipeline_paths(top: Path) -> list[Path]:
    """The CI pipeline files a repository whose top is ``top`` may have (GitHub Actions, GitLab, CircleCI...), the
    folders' listed, :data:`MAX_PIPELINES` at most: the project model and discovery read the same ones."""
    paths = [top / name for name in PIPELINE_FILES]
    for folder in PIPELINE_FOLDERS:
        paths += yaml_files(top / folder)
    return paths[:MAX_PIPELINES]


def yaml_files(folder: Path) -> list[Path]:
    """The ``.yml`` and ``.yaml`` files of a folder, by name (none when it is no folder)."""
    try:
        return sorted(entry for entry in folder.iterdir() if entry.suffix in {".yml", ".yaml"})
    except OSError:
        return []
