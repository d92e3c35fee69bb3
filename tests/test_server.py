"""``djcheck server`` driven by a real LSP client (pytest-lsp) over a subprocess's standard input and output.

Each test starts ``python -m djlint_docker server``, initializes it on a project of its
own in a temporary git repository, and waits for the notifications it expects (never a
fixed sleep), each within :data:`TIMEOUT`. Edits are applied by the test's own
position arithmetic (UTF-16 unless a test agrees on UTF-8), not the server's.
"""

from __future__ import annotations

import asyncio
import copy
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from conftest import write_files
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient

pytestmark = pytest.mark.asyncio
TIMEOUT = 30.0
"""Seconds a test waits for one thing the server must send: far above the debounce and a check on a slow machine."""

COMPOSE = """\
services:
  db:
    image: postgres:16
    volumes:
      - pg:/var/lib/postgresql/data
    environment:
      POSTGRES_PASSWORD: ${DB_PASSWORD:?}
  web:
    build: .
    command: python manage.py runserver
    environment:
      DB_HOST: db
    depends_on:
      - db
volumes:
  pg:
"""
DOCKERFILE = ("FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY requirements.txt .\n"
              "RUN pip install -r requirements.txt\nCOPY . .\n")
SETTINGS = """\
import os

DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["example.com"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": os.environ.get("DB_HOST", "localhost"),
        "PASSWORD": os.environ.get("DB_PASSWORD"),
    }
}
"""
CONFIGURATION = ('select = ["DJC001", "DJC004", "DJC108", "DJC110", "DJC201", "DJC203", "DJC301", "DJC307", '
                 '"DJC401", "DJC408"]\n')
"""The project's own configuration: the rules these tests are about, so that a new rule changes none of them."""
PROJECT = {
    "compose.yaml": COMPOSE, "Dockerfile": DOCKERFILE, "requirements.txt": "django==5.0.6\n",
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
    "app/__init__.py": "", "app/settings.py": SETTINGS, ".dockerignore": ".git\n.env\n",
    ".djcheck.toml": CONFIGURATION,
}
"""A web + PostgreSQL project whose findings djcheck reports as: Dockerfile DJC108 (line 1), DJC110 (5);
app/settings.py DJC307 (4: web does not set SECRET_KEY), DJC408 (6: no PostgreSQL driver installed);
compose.yaml DJC201 (10:5), DJC203 (14:9, related to 2:3)."""

CAPABILITIES = types.ClientCapabilities(
    general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
    text_document=types.TextDocumentClientCapabilities(
        synchronization=types.TextDocumentSyncClientCapabilities(did_save=True),
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
            related_information=True, version_support=True, code_description_support=True,
            tag_support=types.ClientDiagnosticsTagOptions(value_set=[types.DiagnosticTag.Unnecessary])),
        code_action=types.CodeActionClientCapabilities(
            is_preferred_support=True,
            code_action_literal_support=types.ClientCodeActionLiteralOptions(
                code_action_kind=types.ClientCodeActionKindOptions(value_set=[types.CodeActionKind.QuickFix]))),
        hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
    ),
    workspace=types.WorkspaceClientCapabilities(workspace_edit=types.WorkspaceEditClientCapabilities(
        document_changes=True, resource_operations=[types.ResourceOperationKind.Create])),
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = write_files(tmp_path / "site", PROJECT)
    (root / ".git").mkdir()
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "djlint_docker", "server"]))
async def client(lsp_client: LanguageClient):
    yield
    await asyncio.wait_for(lsp_client.shutdown_session(), TIMEOUT)


async def start(client: LanguageClient, root: Path, encodings: Sequence[str] = ("utf-16",)) -> types.InitializeResult:
    capabilities = copy.deepcopy(CAPABILITIES)
    capabilities.general = types.GeneralClientCapabilities(position_encodings=list(encodings))
    return await asyncio.wait_for(client.initialize_session(types.InitializeParams(
        capabilities=capabilities, root_uri=uri(root),
        workspace_folders=[types.WorkspaceFolder(uri(root), root.name)])), TIMEOUT)


def uri(path: Path) -> str:
    return from_fs_path(str(path)) or path.as_uri()


def open_document(client: LanguageClient, path: Path, language: str = "plaintext") -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri(path), language, 1, path.read_text(encoding="utf-8"))))


def change_document(client: LanguageClient, path: Path, version: int, text: str) -> None:
    """Replace the whole unsaved text of an open document (the file on disk stays as it is)."""
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(version, uri(path)),
        [types.TextDocumentContentChangeWholeDocument(text)]))


async def published(client: LanguageClient, path: Path,
                    until: Callable[[Sequence[types.Diagnostic]], bool]) -> list[types.Diagnostic]:
    """The diagnostics of ``path`` once the server has published some for which ``until`` holds."""

    async def wait() -> list[types.Diagnostic]:
        while True:
            found = client.diagnostics.get(uri(path))
            if found is not None and until(found):
                return list(found)
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), TIMEOUT)


def codes(diagnostics: Sequence[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


def having(*wanted: str) -> Callable[[Sequence[types.Diagnostic]], bool]:
    return lambda diagnostics: codes(diagnostics) == sorted(wanted)


def offset(text: str, position: types.Position, encoding: str = "utf-16") -> int:
    """The code-point offset of an LSP position, counted here independently of the server's code."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[:position.line])
    if encoding == "utf-16":
        units = lines[position.line].encode("utf-16-le")[:2 * position.character]
        return start + len(units.decode("utf-16-le"))
    return start + len(lines[position.line].encode("utf-8")[:position.character].decode("utf-8"))


def applied(text: str, edits: Sequence[types.TextEdit], encoding: str = "utf-16") -> str:
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(text, edit.range.start, encoding)] + edit.new_text + text[offset(text, edit.range.end,
                                                                                             encoding):]
    return text


async def actions_at(client: LanguageClient, path: Path, diagnostic: types.Diagnostic) -> list[types.CodeAction]:
    found = await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri(path)), diagnostic.range,
        types.CodeActionContext(diagnostics=[diagnostic]))), TIMEOUT)
    return [action for action in found or () if isinstance(action, types.CodeAction)]


def only(diagnostics: Sequence[types.Diagnostic], code: str) -> types.Diagnostic:
    (found,) = [d for d in diagnostics if d.code == code]
    return found


async def test_initialize_declares_what_the_server_does(client: LanguageClient, project: Path):
    result = await start(client, project)
    capabilities = result.capabilities
    assert result.server_info is not None and result.server_info.name == "djcheck"
    assert capabilities.hover_provider
    assert capabilities.code_action_provider is not None
    assert capabilities.text_document_sync is not None
    assert capabilities.position_encoding == types.PositionEncodingKind.Utf16


async def test_open_publishes_every_file_of_the_setup(client: LanguageClient, project: Path):
    await start(client, project)
    open_document(client, project / "compose.yaml", "yaml")
    compose = await published(client, project / "compose.yaml", having("DJC201", "DJC203"))
    settings = await published(client, project / "app/settings.py", having("DJC307", "DJC408"))
    dockerfile = await published(client, project / "Dockerfile", having("DJC108", "DJC110"))
    runserver = only(compose, "DJC201")
    assert (runserver.range.start.line, runserver.range.start.character) == (9, 4)
    assert (runserver.range.end.line, runserver.range.end.character) == (9, len("    command: python manage.py runserver"))
    assert runserver.severity == types.DiagnosticSeverity.Error and runserver.source == "djcheck"
    assert "runserver" in runserver.message
    wait = only(compose, "DJC203")
    assert wait.severity == types.DiagnosticSeverity.Warning
    assert [(r.location.uri, r.location.range.start.line, r.location.range.start.character)
            for r in wait.related_information or ()] == [(uri(project / "compose.yaml"), 1, 2)]
    assert only(dockerfile, "DJC110").severity == types.DiagnosticSeverity.Information
    assert only(settings, "DJC307").range.start == types.Position(3, 0)


async def test_an_unsaved_change_updates_diagnostics_and_writes_nothing(client: LanguageClient, project: Path):
    await start(client, project)
    dockerfile = project / "Dockerfile"
    open_document(client, dockerfile, "dockerfile")
    await published(client, dockerfile, having("DJC108", "DJC110"))
    change_document(client, dockerfile, 2, DOCKERFILE.replace("pip install -r", "pip install --no-cache-dir -r"))
    await published(client, dockerfile, having("DJC108"))
    with_user = "FROM python:3.12-slim\nUSER app\n" + DOCKERFILE.split("\n", 1)[1]
    change_document(client, dockerfile, 3, with_user)
    await published(client, dockerfile, having("DJC110"))
    change_document(client, dockerfile, 4, with_user.replace("pip install -r", "pip install --no-cache-dir -r"))
    assert await published(client, dockerfile, having()) == []  # an empty list clears what was shown
    assert dockerfile.read_text() == DOCKERFILE


async def test_changes_in_quick_succession_are_checked_once(client: LanguageClient, project: Path):
    await start(client, project)
    dockerfile = project / "Dockerfile"
    open_document(client, dockerfile, "dockerfile")
    await published(client, dockerfile, having("DJC108", "DJC110"))
    checks = [m for m in client.log_messages if m.message.startswith("djcheck: checked")]
    assert len(checks) == 1 and checks[0].message.startswith("djcheck: checked 1 of 1 setups")
    for version in range(2, 12):  # typing: each change well within the debounce of the one before
        change_document(client, dockerfile, version, DOCKERFILE + "# typing\n" * version)
    change_document(client, dockerfile, 12, DOCKERFILE.replace("pip install -r", "pip install --no-cache-dir -r"))
    await published(client, dockerfile, having("DJC108"))
    checks = [m for m in client.log_messages if m.message.startswith("djcheck: checked")]
    assert len(checks) <= 3  # one, unless the machine stalled for the debounce between two changes


async def test_editing_the_compose_file_changes_the_findings_shown_in_the_settings(client: LanguageClient,
                                                                                     project: Path):
    await start(client, project)
    compose, settings = project / "compose.yaml", project / "app/settings.py"
    open_document(client, settings, "python")
    open_document(client, compose, "yaml")
    await published(client, settings, having("DJC307", "DJC408"))
    after_host = types.Position(COMPOSE.split("\n").index("      DB_HOST: db") + 1, 0)
    client.text_document_did_change(types.DidChangeTextDocumentParams(  # as editors send it: the range typed
        types.VersionedTextDocumentIdentifier(2, uri(compose)),
        [types.TextDocumentContentChangePartial(types.Range(after_host, after_host), "      SECRET_KEY: ${SECRET_KEY:?}\n")]))
    await published(client, settings, having("DJC408"))
    change_document(client, compose, 3, COMPOSE)
    await published(client, settings, having("DJC307", "DJC408"))
    assert compose.read_text() == COMPOSE


async def test_a_save_reads_the_disk_again(client: LanguageClient, project: Path):
    await start(client, project)
    requirements, settings = project / "requirements.txt", project / "app/settings.py"
    open_document(client, requirements)
    await published(client, settings, having("DJC307", "DJC408"))
    requirements.write_text("django==5.0.6\npsycopg[binary]==3.1.19\n")
    change_document(client, requirements, 2, requirements.read_text())
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri(requirements))))
    await published(client, settings, having("DJC307"))
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri(requirements))))
    await published(client, settings, having("DJC307"))


async def test_the_configuration_is_the_projects_and_read_again_once_saved(client: LanguageClient, project: Path):
    await start(client, project)
    dockerfile, configuration = project / "Dockerfile", project / ".djcheck.toml"
    open_document(client, dockerfile, "dockerfile")
    await published(client, dockerfile, having("DJC108", "DJC110"))
    configuration.write_text(CONFIGURATION + 'ignore = ["DJC108"]\n')
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri(configuration))))
    await published(client, dockerfile, having("DJC110"))
    configuration.write_text("selekt = []\n")  # djcheck stops on it: the server says so and keeps what it showed
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri(configuration))))
    shown = await asyncio.wait_for(client.wait_for_notification(types.WINDOW_SHOW_MESSAGE), TIMEOUT)
    assert shown.type == types.MessageType.Error and "selekt" in shown.message
    assert codes(client.diagnostics[uri(dockerfile)]) == ["DJC110"]


async def test_a_fix_is_a_code_action_whose_edit_gives_the_fixed_text(client: LanguageClient, project: Path):
    await start(client, project)
    dockerfile, compose = project / "Dockerfile", project / "compose.yaml"
    open_document(client, dockerfile, "dockerfile")
    found = await published(client, dockerfile, having("DJC108", "DJC110"))
    (fix,) = [a for a in await actions_at(client, dockerfile, only(found, "DJC110")) if a.title.startswith("DJC110:")]
    assert fix.is_preferred and fix.kind == types.CodeActionKind.QuickFix and "(unsafe)" not in fix.title
    assert fix.edit is not None and fix.edit.changes is not None
    assert applied(DOCKERFILE, fix.edit.changes[uri(dockerfile)]) == DOCKERFILE.replace(
        "pip install -r", "pip install --no-cache-dir -r")
    found = await published(client, compose, having("DJC201", "DJC203"))
    (fix,) = [a for a in await actions_at(client, compose, only(found, "DJC201")) if a.title.startswith("DJC201:")]
    assert fix.edit is not None and fix.edit.changes is not None
    assert applied(COMPOSE, fix.edit.changes[uri(compose)]) == COMPOSE.replace("runserver", "runserver 0.0.0.0:8000")


async def test_an_unsafe_fix_is_labelled_and_not_preferred(client: LanguageClient, project: Path):
    settings = project / "app/settings.py"
    settings.write_text(SETTINGS.replace('DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"', "DEBUG = True"))
    compose = project / "compose.yaml"  # gunicorn: DEBUG off keeps it working (under runserver there is no fix)
    compose.write_text(COMPOSE.replace("python manage.py runserver", "gunicorn app.wsgi --bind 0.0.0.0:8000"))
    await start(client, project)
    open_document(client, settings, "python")
    found = await published(client, settings, lambda d: "DJC301" in codes(d))
    (fix,) = [a for a in await actions_at(client, settings, only(found, "DJC301")) if a.title.startswith("DJC301:")]
    assert fix.title.endswith("(unsafe)") and not fix.is_preferred
    assert fix.edit is not None and fix.edit.changes is not None
    fixed = applied(settings.read_text(), fix.edit.changes[uri(settings)])
    assert "DEBUG = True" not in fixed and "DJANGO_DEBUG" in fixed
    compile(fixed, "settings.py", "exec")


async def test_a_fix_that_creates_a_file(client: LanguageClient, project: Path):
    (project / ".dockerignore").unlink()
    await start(client, project)
    dockerfile = project / "Dockerfile"
    open_document(client, dockerfile, "dockerfile")
    found = await published(client, dockerfile, lambda d: "DJC401" in codes(d))
    (fix,) = [a for a in await actions_at(client, dockerfile, only(found, "DJC401")) if a.title.startswith("DJC401:")]
    assert fix.edit is not None and fix.edit.document_changes is not None
    create, text_edit = fix.edit.document_changes
    assert isinstance(create, types.CreateFile) and create.uri == uri(project / ".dockerignore")
    assert isinstance(text_edit, types.TextDocumentEdit)
    assert ".git" in applied("", [e for e in text_edit.edits if isinstance(e, types.TextEdit)]).splitlines()


async def test_a_file_created_outside_the_editor_is_seen_through_the_file_watcher(client: LanguageClient,
                                                                                   project: Path):
    (project / ".dockerignore").unlink()
    registered: list[types.Registration] = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        registered.extend(params.registrations)

    capabilities = copy.deepcopy(CAPABILITIES)
    capabilities.workspace = types.WorkspaceClientCapabilities(
        did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True))
    await asyncio.wait_for(client.initialize_session(types.InitializeParams(
        capabilities=capabilities, workspace_folders=[types.WorkspaceFolder(uri(project), project.name)])), TIMEOUT)
    dockerfile = project / "Dockerfile"
    open_document(client, dockerfile, "dockerfile")
    await published(client, dockerfile, lambda d: "DJC401" in codes(d))
    assert [r.method for r in registered] == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    write_files(project, {".dockerignore": ".git\n.env\n"})
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        [types.FileEvent(uri(project / ".dockerignore"), types.FileChangeType.Created)]))
    await published(client, dockerfile, lambda d: "DJC401" not in codes(d))


async def test_ignore_here_adds_the_comment_the_file_kind_allows(client: LanguageClient, project: Path):
    await start(client, project)
    dockerfile, compose = project / "Dockerfile", project / "compose.yaml"
    open_document(client, dockerfile, "dockerfile")
    open_document(client, compose, "yaml")
    found = await published(client, dockerfile, having("DJC108", "DJC110"))
    (ignore,) = [a for a in await actions_at(client, dockerfile, only(found, "DJC108")) if a.title == "Ignore DJC108 here"]
    assert ignore.edit is not None and ignore.edit.changes is not None and not ignore.is_preferred
    ignored = applied(DOCKERFILE, ignore.edit.changes[uri(dockerfile)])
    assert ignored == "# djcheck: ignore[DJC108]\n" + DOCKERFILE
    change_document(client, dockerfile, 2, ignored)
    await published(client, dockerfile, having("DJC110"))
    found = await published(client, compose, having("DJC201", "DJC203"))
    (ignore,) = [a for a in await actions_at(client, compose, only(found, "DJC201")) if a.title == "Ignore DJC201 here"]
    assert ignore.edit is not None and ignore.edit.changes is not None
    assert applied(COMPOSE, ignore.edit.changes[uri(compose)]) == COMPOSE.replace(
        "runserver\n", "runserver  # djcheck: ignore[DJC201]\n")


async def test_ignore_files_env_files_and_scripts_get_diagnostics_and_actions_too(client: LanguageClient,
                                                                                   tmp_path: Path):
    root = write_files(tmp_path / "image", {
        "Dockerfile": 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["./entrypoint.sh"]\n',
        "entrypoint.sh": "#!/bin/sh\npython manage.py migrate\ngunicorn app.wsgi --bind 0.0.0.0:8000\n",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
        ".dockerignore": "*.pyc\n", ".env": "SECRET_KEY=abc\n",
        ".djcheck.toml": 'select = ["DJC402", "DJC411", "DJC412"]\n'})
    (root / ".git").mkdir()
    (root / "entrypoint.sh").chmod(0o755)
    await start(client, root)
    script, ignore, env = root / "entrypoint.sh", root / ".dockerignore", root / ".env"
    open_document(client, script, "shellscript")
    found = {path.name: await published(client, path, having(code))
             for path, code in ((script, "DJC411"), (ignore, "DJC402"), (env, "DJC412"))}
    for path, code, expected in (
            (script, "DJC411", "gunicorn app.wsgi --bind 0.0.0.0:8000  # djcheck: ignore[DJC411]\n"),
            (ignore, "DJC402", "# djcheck: ignore[DJC402]\n*.pyc\n"),
            (env, "DJC412", "SECRET_KEY=abc  # djcheck: ignore[DJC412]\n")):
        actions = await actions_at(client, path, only(found[path.name], code))
        (action,) = [a for a in actions if a.title == f"Ignore {code} here"]
        assert action.edit is not None and action.edit.changes is not None
        assert applied(path.read_text(), action.edit.changes[uri(path)]).endswith(expected)
    (fix,) = [a for a in await actions_at(client, ignore, only(found[".dockerignore"], "DJC402"))
              if a.title.startswith("DJC402:")]
    assert fix.edit is not None and fix.edit.changes is not None
    patterns = applied("*.pyc\n", fix.edit.changes[uri(ignore)]).splitlines()
    assert patterns[0] == "*.pyc" and {".git", ".env*"} <= set(patterns)


async def test_hover_on_a_finding_shows_its_rule_page(client: LanguageClient, project: Path):
    await start(client, project)
    dockerfile = project / "Dockerfile"
    open_document(client, dockerfile, "dockerfile")
    found = await published(client, dockerfile, having("DJC108", "DJC110"))
    at = only(found, "DJC110").range.start
    hover = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri(dockerfile)), types.Position(at.line, at.character + 3))), TIMEOUT)
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert hover.contents.value.startswith("# DJC110 ") and "## What it does" in hover.contents.value
    nothing = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri(dockerfile)), types.Position(2, 0))), TIMEOUT)
    assert nothing is None


EMOJI_COMPOSE = COMPOSE.replace("""\
  web:
    build: .
    command: python manage.py runserver
    environment:
      DB_HOST: db
    depends_on:
      - db
""", '  web: {build: ., environment: {NOTE: "\U0001F600", DB_HOST: db}, command: python manage.py runserver, '
     "depends_on: [db]}\n")
"""The web service as a flow mapping whose ``command`` (DJC201, column 58) comes after a character outside the BMP."""


@pytest.mark.parametrize(("encoding", "character"), [("utf-16", 58), ("utf-8", 60)])
async def test_positions_after_a_character_outside_the_bmp(client: LanguageClient, project: Path, encoding: str,
                                                           character: int):
    compose = project / "compose.yaml"
    compose.write_text(EMOJI_COMPOSE, encoding="utf-8")
    result = await start(client, project, [encoding])
    assert result.capabilities.position_encoding == encoding
    open_document(client, compose, "yaml")
    found = await published(client, compose, lambda d: "DJC201" in codes(d))
    runserver = only(found, "DJC201")
    assert (runserver.range.start.line, runserver.range.start.character) == (7, character)
    (fix,) = [a for a in await actions_at(client, compose, runserver) if a.title.startswith("DJC201:")]
    assert fix.edit is not None and fix.edit.changes is not None
    assert applied(EMOJI_COMPOSE, fix.edit.changes[uri(compose)], encoding) == EMOJI_COMPOSE.replace(
        "runserver,", "runserver 0.0.0.0:8000,")


async def test_a_broken_file_is_a_diagnostic_and_the_server_goes_on(client: LanguageClient, project: Path):
    await start(client, project)
    compose = project / "compose.yaml"
    open_document(client, compose, "yaml")
    await published(client, compose, having("DJC201", "DJC203"))
    change_document(client, compose, 2, "services:\n  web: [unclosed\n\x00")
    broken = await published(client, compose, lambda d: "DJC001" in codes(d))
    assert broken
    change_document(client, compose, 3, COMPOSE)
    await published(client, compose, having("DJC201", "DJC203"))


async def test_shutdown_and_exit_end_the_process(client: LanguageClient, project: Path):
    await start(client, project)
    await asyncio.wait_for(client.shutdown_session(), TIMEOUT)
    assert client._server is not None and client._server.returncode == 0
    client.capabilities = None  # the fixture's own shutdown has nothing left to do
