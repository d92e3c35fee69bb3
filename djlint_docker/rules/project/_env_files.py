"""Which files are env files, which of them are templates meant to be copied, and what each clone provides."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable
from pathlib import Path

from djlint_docker.files import TEMPLATE_NAME
from djlint_docker.kinds import TEMPLATE_ENGINE_SUFFIX
from djlint_docker.parse.envfile import commented_variables
from djlint_docker.project import Project

EXAMPLE_ENV = TEMPLATE_NAME
"""A template's name (``.env.example``, ``.env.dev-sample``, ``TEMPLATE.env``): the definition
:meth:`ProjectFiles.template_for <djlint_docker.files.ProjectFiles.template_for>` uses too."""


def is_env_file(path: Path) -> bool:
    """``.env``, ``.env.prod``, ``prod.env``: an env file that is not a template to copy."""
    return is_env_name(path.name)


def is_env_name(name: str) -> bool:
    """Whether a file of this name is an env file that is not a template to copy, nor one a tool renders
    (``.env.j2``: Ansible writes the env file from it on the server)."""
    return (name == ".env" or name.startswith(".env.") or name.endswith(".env")) and not EXAMPLE_ENV.search(name) \
        and not RENDERED_TEMPLATE.search(name)


RENDERED_TEMPLATE = re.compile(rf"\.(?:{TEMPLATE_ENGINE_SUFFIX}|mustache|hbs|erb)$", re.I)
"""The extension of a file a template engine renders (:data:`~djlint_docker.kinds.TEMPLATE_ENGINE_SUFFIX`, and
Mustache's, Handlebars' and Chef's ERB)."""


DEVELOPMENT_ENV = re.compile(r"(^|[._-])(dev|development|local|test|tests|testing|ci)([._-]|$)", re.I)
"""The name of an env file for development, tests or CI (``.env.dev``, ``local_dev.env``, ``.env.test``): projects
commit it on purpose with throwaway values every clone starts with."""


def development_env(path: Path) -> bool:
    """Whether an env file's name says it is for development, tests or CI (:data:`DEVELOPMENT_ENV`)."""
    return DEVELOPMENT_ENV.search(path.name) is not None


SETUP_SCRIPTS = re.compile(r".*\.(sh|bash)$|(GNU)?[Mm]akefile$|[Jj]ustfile$")
MAX_SCRIPTS = 20
MAX_SCRIPT_BYTES = 1 << 18
WRITES = re.compile(r"(?:>>?|\btee\s+(?:-a\s+)?)\s*[\"']?(?:\$\(pwd\)/|\$\{?(?!(?:HOME|TMPDIR|TMP)\b)[A-Za-z_]\w*\}?/)?"
                    r"([\w./-]+)")
"""A redirection or ``tee`` into a file, from the folder the script runs in (``>> $(pwd)/envs/web.env``), or from
the folder it installs the stack into (``> "$INSTALL_PATH/.envs/.django"``, beside the compose file it puts there
too; not the user's home or a temporary folder)."""
SHELL_SHEBANG = re.compile(rb"#![ \t]*/\S*/(?:env[ \t]+)?(?:ba|da|z|k)?sh\b")


def setup_scripts(folders: Iterable[Path], named: re.Pattern[str] = SETUP_SCRIPTS) -> list[Path]:
    """The committed setup scripts (``*.sh``, a Makefile, a justfile, a shell script without an extension such as
    ``./init``; or those ``named`` so) of the folders, each folder once, in name order, the first
    :data:`MAX_SCRIPTS` of them, none larger than :data:`MAX_SCRIPT_BYTES`."""
    scripts: list[Path] = []
    for folder in dict.fromkeys(folders):
        try:
            with os.scandir(folder) as entries:  # a DirEntry knows a file from a folder without a stat of its own
                scripts += sorted(Path(entry.path) for entry in entries if _setup_script(entry, named))
        except OSError:
            continue
    return scripts[:MAX_SCRIPTS]


def _setup_script(entry: os.DirEntry[str], named: re.Pattern[str]) -> bool:
    """Whether a folder's entry is a setup script: a file of a name ``named`` matches, or (for the default names) a
    shell script without an extension; none larger than :data:`MAX_SCRIPT_BYTES`."""
    listed = named.fullmatch(entry.name) is not None
    if not listed and (named is not SETUP_SCRIPTS or "." in entry.name):
        return False
    return entry.is_file() and entry.stat().st_size <= MAX_SCRIPT_BYTES and (listed or _shell_script(Path(entry.path)))


def _shell_script(path: Path) -> bool:
    """Whether a file without an extension is a shell script: its first line is a shell's shebang."""
    try:
        with path.open("rb") as file:
            return SHELL_SHEBANG.match(file.read(64)) is not None
    except OSError:
        return False


def provided_at_setup(project: Project, path: Path, names: Iterable[str]) -> str | None:
    """Which of ``names`` each clone is meant to provide in the absent env file ``path``, None if none.

    A variable its committed template names only in a comment (``# POSTGRES_PASSWORD=``,
    ``#SECRET_KEY=change-me``: the user uncomments and fills it in), or one a committed setup
    script writes into it (:func:`written_by_script`), or one the project's instructions list in it after telling
    the reader to create it ("Create production `.env`", then ``POSTGRES_PASSWORD=...``): its value is unknown,
    neither unset nor empty.
    """
    if project.is_file(path):
        return None
    names = list(names)
    commented = template_commented_variables(project, path)
    found = next((name for name in names if name in commented), None)
    if found is not None:
        return found
    documented = project.documented_variables(path)
    return next((name for name in names if name in documented), None) or written_by_script(project, [path], names)


def template_commented_variables(project: Project, path: Path) -> frozenset[str]:
    """The variables the committed template of the env file ``path`` names only in a comment (``#SECRET_KEY=``), for
    each user to uncomment and fill in; read once per template."""
    template = project.template_for(path)
    if template is None:
        return frozenset()
    return project.parsed("commented variables", template,
                          lambda _, text: frozenset(commented_variables(text))) or frozenset()


def written_by_setup_script(project: Project, path: Path) -> bool:
    """Whether a committed setup script beside the stack or the file (``setup_project.sh``, a Makefile) writes the
    file (``printf "..." > .database.env``): running it, as the project's setup, makes the file."""
    wanted = os.path.normpath(path)
    return any(os.path.normpath(script.parent / target) == wanted
               for script in setup_scripts([project.root, path.parent])
               for target in WRITES.findall(project.text(script, quiet=True) or ""))


def written_by_script(project: Project, made: Iterable[Path], variables: Iterable[str]) -> str | None:
    """Which of the variables a committed script beside the stack writes into one of the env files ``made``
    (each clone makes them): ``echo "SECRET_KEY=$(openssl rand -hex 32)" >> ./apps/api/.env`` in ``setup.sh``,
    a Makefile or a justfile, in the stack's folder, the env file's, or the ``scripts/`` or ``bin/`` folder at the
    top; line by line or in a here-document (``cat > env/web << EOF``), into the file or into one the script links
    it to (``ln -sf env/web .env``). None if none.

    The script is the documented way of making the file: the template alone is not what it holds.
    """
    targets = {os.path.normpath(path) for path in made if not project.is_file(path)}
    variables = list(variables)
    if not targets or not variables:
        return None
    names = re.compile(rf"\b({'|'.join(map(re.escape, variables))})=")
    folders = [project.root, project.root / "scripts", project.root / "bin", *(Path(path).parent for path in targets)]
    for script in setup_scripts(folders):
        text = project.text(script) or ""
        bases = dict.fromkeys((script.parent, project.root))  # a script in scripts/ runs from the top, as make does
        into = targets | {os.path.normpath(base / source) for source, link in LINK.findall(text) for base in bases
                          if any(os.path.normpath(base / link) in targets for base in bases)}
        end: str | None = None  # the word that ends the here-document being read
        heredoc_written = False
        for line in text.splitlines():
            if end is not None:
                if line.strip() == end:
                    end = None
                elif heredoc_written and (written := names.match(line.strip())):
                    return written.group(1)
                continue
            writes = any(os.path.normpath(base / target) in into for target in WRITES.findall(line) for base in bases)
            if (opened := HEREDOC.search(line)) is not None:
                end, heredoc_written = opened.group(1), writes
            if writes and (written := names.search(line)):
                return written.group(1)
    return None


LINK = re.compile(r"\bln\s+(?:-[A-Za-z]+\s+)*[\"']?([\w./-]+)[\"']?\s+[\"']?([\w./-]+)[\"']?")
"""A link a script makes (``ln -sf env/docker_django .env``): the file it points to, and the link."""
HEREDOC = re.compile(r"<<-?\s*[\"']?(\w+)[\"']?")
"""The start of a here-document (``cat > .env << __EOF__``), with the word that ends it."""


MAX_SED_LINE = 1000
SED_REGENERATES = re.compile(r"\bsed\b[^\n]*?\s-i\S*\s[^\n]*?[\"']s(.)\^?(\w+)=[^\n]*?\$\(([^)\n]*)\)[^\n]*?\1g?[\"']"
                             r"\s+(?:[^\s;&|]+\s+)*?([^\s;&|]+)")
"""An in-place ``sed`` that replaces a variable's line with a value a command makes (``sed -i "s/^SECRET_KEY=.*/
SECRET_KEY=$(openssl rand -hex 32)/g" ./django/.env``): the variable, the command, and the (first) file it edits."""


def regenerated_by_script(project: Project, path: Path, variable: str) -> bool:
    """Whether a committed setup script beside the stack (:func:`setup_scripts`) rewrites the variable's value in the
    committed env file with a generated one (``openssl rand``, ``head -c 32 /dev/urandom``, ``python -c "import
    secrets ..."``): the committed value is a placeholder the project's setup replaces."""
    folders = [project.root, project.root / "scripts", project.root / "bin", path.parent]
    for script in setup_scripts(folders):
        bases = dict.fromkeys((script.parent, project.root))
        lines = [line for line in (project.text(script) or "").splitlines()
                 if "sed" in line and "$(" in line and len(line) <= MAX_SED_LINE]  # a bounded search, line by line
        for found in (match for line in lines if (match := SED_REGENERATES.search(line)) is not None):
            if found.group(2) == variable and any(fnmatch.fnmatchcase(os.path.normpath(path), os.path.normpath(
                    base / found.group(4).strip("\"'"))) for base in bases):
                return True
    return False
