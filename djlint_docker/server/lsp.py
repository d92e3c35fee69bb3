"""The protocol side of ``djcheck server``: documents in, diagnostics, code actions and hovers out (pygls).

Every open, change, save or close of a document schedules a check of the root it lies in
(:mod:`djlint_docker.server.checks`), :data:`DELAY` seconds after the last event for that
root: a newer event replaces the check still waiting, so typing never queues checks. The
check runs in one worker thread with the open documents' texts as they are at its start,
so the message loop keeps answering; diagnostics are then published for every file of the
setups it checked (an empty list where findings went away), except for a document
edited since, whose own check is already waiting. A failing check is logged
(``window/logMessage``), never fatal; a configuration djcheck cannot use is also shown.

Code actions offer each fix of a finding under the cursor (the safe one preferred, an
unsafe one labelled) and a ``# djcheck: ignore[CODE]`` comment where the file kind lets
one cover it, both only while the files still hold the text the check read. Hover on a
finding shows its rule's page.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import os
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from djlint_docker import __version__
from djlint_docker.config import ConfigError
from djlint_docker.findings import Edit, Finding, Severity
from djlint_docker.server.checks import Checker, CheckResult, fix_edits, ignore_edit
from djlint_docker.server.positions import LineIndex

DELAY = 0.3
"""Seconds of quiet after an edit before its root is checked."""

SEVERITIES = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning,
              Severity.INFO: types.DiagnosticSeverity.Information}
UNUSED = {"DJC004"}
"""Findings about a comment that does nothing: shown faded (``Unnecessary``)."""
RULE_PAGES = Path(__file__).resolve().parents[2] / "rules"
"""The generated rule pages, when djcheck runs from a checkout of its repository (linked from each code)."""
WATCHED = ("**/*[Dd]ockerfile*", "**/Containerfile*", "**/*.dockerignore", "**/.dockerignore", "**/*compose*.y*ml",
           "**/*.yml", "**/*.yaml", "**/.env*", "**/*.env", "**/requirements*", "**/requirements/*", "**/*.py",
           "**/*.sh", "**/*.toml", "**/*.lock", "**/.gitignore")
"""Files whose change on disk (a checkout, a formatter) re-checks their root, when the client can watch them."""

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Shown:
    """A published diagnostic, the finding it shows, and the texts its check read (what a fix's offsets count in)."""

    diagnostic: types.Diagnostic
    finding: Finding
    path: Path
    texts: Mapping[Path, str]


@dataclass
class _Waiting:
    changed: set[Path] = field(default_factory=set)
    timer: asyncio.TimerHandle | None = None


@dataclass(frozen=True)
class ClientSupport:
    """What the client said it understands; the server sends nothing else."""

    related: bool = False  # diagnostics' relatedInformation
    unnecessary: bool = False  # the Unnecessary diagnostic tag
    code_description: bool = False
    version: bool = False  # a document version with published diagnostics
    actions: bool = False  # code action literals (not only commands)
    preferred: bool = False  # isPreferred on a code action
    markdown: bool = False  # hover content in Markdown
    create_files: bool = False  # a workspace edit that creates a file

    @classmethod
    def of(cls, capabilities: types.ClientCapabilities) -> ClientSupport:
        document = capabilities.text_document
        publish = document.publish_diagnostics if document else None
        action = document.code_action if document else None
        hover = document.hover if document else None
        edit = capabilities.workspace.workspace_edit if capabilities.workspace else None
        tags = publish.tag_support if publish else None
        return cls(
            related=bool(publish and publish.related_information),
            unnecessary=bool(tags and types.DiagnosticTag.Unnecessary in tags.value_set),
            code_description=bool(publish and publish.code_description_support),
            version=bool(publish and publish.version_support),
            actions=bool(action and action.code_action_literal_support),
            preferred=bool(action and action.is_preferred_support),
            markdown=bool(hover and types.MarkupKind.Markdown in (hover.content_format or ())),
            create_files=bool(edit and edit.document_changes
                              and types.ResourceOperationKind.Create in (edit.resource_operations or ())),
        )


@dataclass(frozen=True)
class _Failure:
    message: str
    show: bool  # also a window/showMessage: the user must act (a configuration djcheck cannot use)


def _guarded(method: F) -> F:
    """A handler that logs what it raises instead of letting it reach pygls."""

    @functools.wraps(method)
    def guarded(self: Session, *args: Any) -> Any:
        try:
            return method(self, *args)
        except Exception:
            self.log(f"djcheck: {method.__name__} failed:\n{traceback.format_exc()}", types.MessageType.Error)
            return None

    return guarded  # type: ignore[return-value]


class Session:
    """One editor's connection: its open documents, the checks waiting and running, and what was published."""

    def __init__(self, server: LanguageServer, delay: float = DELAY) -> None:
        self.server = server
        self.delay = delay
        self.checker = Checker()
        self.checks = ThreadPoolExecutor(max_workers=1, thread_name_prefix="djcheck-check")
        self.actions = ThreadPoolExecutor(max_workers=1, thread_name_prefix="djcheck-action")
        self.documents: dict[Path, str] = {}  # open documents: path -> uri as the client wrote it
        self.waiting: dict[Path, _Waiting] = {}
        self.shown: dict[str, list[Shown]] = {}  # by uri
        self.tasks: set[asyncio.Future[None]] = set()
        self.closed = False
        self.shutdown_requested = False
        self.support = ClientSupport()

    def register(self) -> None:
        def feature(name: str, options: Any = None) -> Callable[[Callable[..., Any]], Any]:
            return lambda method: self.server.feature(name, options)(_function(method))

        feature(types.INITIALIZE)(self.initialize)
        feature(types.INITIALIZED)(self.initialized)
        feature(types.TEXT_DOCUMENT_DID_OPEN)(self.did_open)
        feature(types.TEXT_DOCUMENT_DID_CHANGE)(self.did_change)
        feature(types.TEXT_DOCUMENT_DID_SAVE)(self.did_save)
        feature(types.TEXT_DOCUMENT_DID_CLOSE)(self.did_close)
        feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)(self.did_change_watched_files)
        feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)(self.did_change_workspace_folders)
        feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))(self.code_action)
        feature(types.TEXT_DOCUMENT_HOVER)(self.hover)
        feature(types.SHUTDOWN)(self.shutdown)

    # -- the workspace -----------------------------------------------------------------------------------------

    def initialize(self, params: types.InitializeParams) -> None:
        self.support = ClientSupport.of(params.capabilities)
        self._set_folders()

    async def initialized(self, params: types.InitializedParams) -> None:
        workspace = self.server.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if watched is None or not watched.dynamic_registration:
            return
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED])
        try:
            await self.server.client_register_capability_async(types.RegistrationParams(registrations=[
                types.Registration(id="djcheck-watched-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                   register_options=options)]))
        except Exception as error:  # a client that refuses: files changed outside the editor wait for an edit
            self.log(f"djcheck: cannot watch files: {error}", types.MessageType.Warning)

    @_guarded
    def did_change_workspace_folders(self, params: types.DidChangeWorkspaceFoldersParams) -> None:
        self._set_folders()  # pygls has already updated its folders

    def _set_folders(self) -> None:
        workspace = self.server.workspace
        uris = [folder.uri for folder in workspace.folders.values()] or [workspace.root_uri]
        self.checker.set_folders(path for uri in uris if uri and (path := _path(uri)) is not None)

    # -- documents ---------------------------------------------------------------------------------------------

    @_guarded
    def did_open(self, params: types.DidOpenTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is not None:
            self.documents[path] = params.text_document.uri
            self.schedule(path)

    @_guarded
    def did_change(self, params: types.DidChangeTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is not None:
            self.schedule(path)

    @_guarded
    def did_save(self, params: types.DidSaveTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is not None:
            self.checker.forget(self.checker.root_of(path))  # the disk changed: discover the setups again
            self.schedule(path)

    @_guarded
    def did_close(self, params: types.DidCloseTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is not None:
            self.documents.pop(path, None)
            self.schedule(path)  # its unsaved text is gone: the file on disk counts again

    @_guarded
    def did_change_watched_files(self, params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            path = _path(change.uri)
            if path is not None:
                self.checker.forget(self.checker.root_of(path))
                self.schedule(path)

    # -- checks ------------------------------------------------------------------------------------------------

    def schedule(self, path: Path) -> None:
        """Check the root of ``path`` once nothing has changed in it for :attr:`delay` seconds.

        The check runs again only the setups that read ``path`` (every setup the first time):
        a file no setup reads (a README a client sends as plain text) costs next to nothing.
        """
        if self.closed:
            return
        root = self.checker.root_of(path)
        waiting = self.waiting.setdefault(root, _Waiting())
        waiting.changed.add(path)
        if waiting.timer is not None:
            waiting.timer.cancel()
        waiting.timer = asyncio.get_running_loop().call_later(self.delay, self._start, root)

    def _start(self, root: Path) -> None:
        waiting = self.waiting.pop(root, None)
        if waiting is None or self.closed:
            return
        overlay, versions = self._snapshot()
        future = asyncio.get_running_loop().run_in_executor(self.checks, self._check, root, waiting.changed, overlay)
        task = asyncio.ensure_future(self._publish(root, future, overlay, versions, time.perf_counter()))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def _snapshot(self) -> tuple[dict[Path, str], dict[Path, int | None]]:
        """The open documents' texts and versions, by path."""
        overlay, versions = {}, {}
        for path, uri in self.documents.items():
            document = self.server.workspace.text_documents.get(uri)
            if document is not None:
                overlay[path] = document.source
                versions[path] = document.version
        return overlay, versions

    def _check(self, root: Path, changed: set[Path], overlay: Mapping[Path, str]) -> CheckResult | _Failure:
        """The check, in the worker thread: what it raises becomes a message (sent by the loop, the only writer)."""
        try:
            return self.checker.check(root, changed, overlay)
        except ConfigError as error:
            return _Failure(f"djcheck: {error}", show=True)
        except Exception:
            return _Failure(f"djcheck: internal error while checking {root}, please report it:\n"
                            f"{traceback.format_exc()}", show=False)

    async def _publish(self, root: Path, future: asyncio.Future[CheckResult | _Failure], overlay: Mapping[Path, str],
                       versions: Mapping[Path, int | None], started: float) -> None:
        try:
            result = await future
            if isinstance(result, _Failure):
                self.log(result.message, types.MessageType.Error)
                if result.show:
                    self.server.window_show_message(types.ShowMessageParams(types.MessageType.Error, result.message))
                return
            self.log(f"djcheck: checked {result.checked} of {result.setups} setups of {root} in "
                     f"{(time.perf_counter() - started) * 1000:.0f} ms", types.MessageType.Log)
            for note in result.notes:
                self.log(f"djcheck: {note}", types.MessageType.Warning)
            encoding = self._encoding()
            for report in result.reports:
                path = report.path
                if path in self.documents and self._version(path) != versions.get(path, -1):
                    continue  # edited (or opened) since the check began: the check it scheduled publishes it
                uri = self.documents.get(path) or from_fs_path(str(path)) or path.as_uri()
                text = report.text if report.text is not None else overlay.get(path)
                if text is None:
                    text = _disk_text(path)
                index = LineIndex(text) if text is not None else None
                shown = [Shown(self._diagnostic(finding, root, index, result.texts, encoding), finding, path,
                               result.texts) for finding in report.findings]
                self.shown[uri] = shown
                self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                    uri, [item.diagnostic for item in shown],
                    version=versions.get(path) if self.support.version else None))
        except asyncio.CancelledError:
            raise
        except Exception:
            self.log(f"djcheck: publishing diagnostics failed:\n{traceback.format_exc()}", types.MessageType.Error)

    def _version(self, path: Path) -> int | None:
        uri = self.documents.get(path)
        document = self.server.workspace.text_documents.get(uri) if uri else None
        return document.version if document is not None else None

    def _encoding(self) -> str:
        """The position encoding agreed with the client (``utf-16``, ``utf-8`` or ``utf-32``)."""
        encoding = self.server.workspace.position_encoding or types.PositionEncodingKind.Utf16
        return str(getattr(encoding, "value", encoding))

    def _diagnostic(self, finding: Finding, root: Path, index: LineIndex | None, texts: Mapping[Path, str],
                    encoding: str) -> types.Diagnostic:
        related = []
        for shown, line, column in finding.related:
            path = Path(os.path.normpath(root / shown))
            text = texts.get(path)
            if text is None and os.path.isfile(path):
                text = _disk_text(path)
            related.append(types.DiagnosticRelatedInformation(
                types.Location(self.documents.get(path) or from_fs_path(str(path)) or path.as_uri(),
                               _range(LineIndex(text) if text is not None else None, line, column, encoding)),
                f"{finding.code}: also here"))
        page = RULE_PAGES / f"{finding.code}.md"
        support = self.support
        return types.Diagnostic(
            range=_range(index, finding.line, finding.column, encoding),
            message=finding.message,
            severity=SEVERITIES[finding.severity],
            code=finding.code,
            code_description=types.CodeDescription(href=page.as_uri())
            if support.code_description and os.path.isfile(page) else None,
            source="djcheck",
            related_information=(related or None) if support.related else None,
            tags=[types.DiagnosticTag.Unnecessary] if support.unnecessary and finding.code in UNUSED else None,
        )

    # -- code actions and hover --------------------------------------------------------------------------------

    async def code_action(self, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        try:
            only = params.context.only
            if not self.support.actions:
                return None  # a client that takes only commands: djcheck has none to run
            if only and not any(types.CodeActionKind.QuickFix.value.startswith(kind) for kind in only):
                return None
            loop = asyncio.get_running_loop()
            actions: list[types.CodeAction] = []
            for item in self._at(params.text_document.uri, params.range, params.context.diagnostics):
                finding = item.finding
                if finding.fix is not None:
                    edits = await loop.run_in_executor(self.actions, fix_edits, finding)
                    edit = self._workspace_edit(edits, item.texts)
                    if edit is not None:
                        label = "" if finding.fix.safe else " (unsafe)"
                        actions.append(types.CodeAction(
                            f"{finding.code}: {finding.fix.description}{label}", kind=types.CodeActionKind.QuickFix,
                            diagnostics=[item.diagnostic], edit=edit,
                            is_preferred=finding.fix.safe if self.support.preferred else None))
                text = item.texts.get(item.path)
                if text is not None and self._current_text(item.path) == text:
                    added = await loop.run_in_executor(self.actions, ignore_edit, item.path, text, finding)
                    edit = self._workspace_edit((added,), item.texts) if added is not None else None
                    if edit is not None:
                        actions.append(types.CodeAction(f"Ignore {finding.code} here",
                                                        kind=types.CodeActionKind.QuickFix,
                                                        diagnostics=[item.diagnostic], edit=edit))
            return actions
        except Exception:
            self.log(f"djcheck: code actions failed:\n{traceback.format_exc()}", types.MessageType.Error)
            return None

    @_guarded
    def hover(self, params: types.HoverParams) -> types.Hover | None:
        from djlint_docker.docs import rule_page
        from djlint_docker.registry import REGISTRY

        point = types.Range(params.position, params.position)
        found = [item for item in self._at(params.text_document.uri, point, ()) if item.finding.code in REGISTRY]
        if not found:
            return None
        codes = list(dict.fromkeys(item.finding.code for item in found))
        pages = "\n---\n\n".join(rule_page(REGISTRY[code]) for code in codes)
        kind = types.MarkupKind.Markdown if self.support.markdown else types.MarkupKind.PlainText
        return types.Hover(types.MarkupContent(kind, pages), found[0].diagnostic.range)

    def _at(self, uri: str, where: types.Range, diagnostics: Sequence[types.Diagnostic]) -> list[Shown]:
        """The published findings whose range meets ``where``, or that the client names among ``diagnostics``."""
        named = {(d.range.start.line, d.range.start.character, str(d.code), d.message) for d in diagnostics}
        return [item for item in self.shown.get(uri, ())
                if _meets(item.diagnostic.range, where) or (
                    item.diagnostic.range.start.line, item.diagnostic.range.start.character,
                    str(item.diagnostic.code), item.diagnostic.message) in named]

    def _workspace_edit(self, edits: Sequence[Edit], texts: Mapping[Path, str]) -> types.WorkspaceEdit | None:
        """The edits as the client applies them; None when a file no longer holds the text they were made for,
        or a new file is needed and the client cannot create one."""
        if not edits:
            return None
        encoding = self._encoding()
        by_path: dict[Path, list[Edit]] = {}
        for edit in edits:
            by_path.setdefault(edit.path, []).append(edit)
        created = []
        for path in by_path:
            current = self._current_text(path)
            if path in texts:
                if current != texts[path]:
                    return None
            elif current is not None or os.path.exists(path):
                return None
            else:
                created.append(path)
        text_edits: dict[Path, list[types.TextEdit]] = {}
        for path, path_edits in by_path.items():
            index = LineIndex(texts.get(path, ""))
            text_edits[path] = [
                types.TextEdit(types.Range(_position(index, e.start, encoding), _position(index, e.end, encoding)),
                               e.text) for e in sorted(path_edits, key=lambda e: (e.start, e.end))]
        if not created:
            return types.WorkspaceEdit(changes={self._uri(path): found for path, found in text_edits.items()})
        if not self.support.create_files:
            return None
        document_changes: list[types.TextDocumentEdit | types.CreateFile | types.RenameFile | types.DeleteFile] = [
            types.CreateFile(self._uri(path), options=types.CreateFileOptions(ignore_if_exists=True))
            for path in created]
        document_changes += [types.TextDocumentEdit(
            types.OptionalVersionedTextDocumentIdentifier(self._uri(path), self._version(path)), list(found))
            for path, found in text_edits.items()]
        return types.WorkspaceEdit(document_changes=document_changes)

    def _uri(self, path: Path) -> str:
        return self.documents.get(path) or from_fs_path(str(path)) or path.as_uri()

    def _current_text(self, path: Path) -> str | None:
        """The text a file holds now: the open document's, else the disk's (None: no such file, or unreadable)."""
        uri = self.documents.get(path)
        document = self.server.workspace.text_documents.get(uri) if uri else None
        if document is not None:
            return document.source
        return _disk_text(path) if os.path.isfile(path) else None

    # -- the end -----------------------------------------------------------------------------------------------

    def shutdown(self, params: None) -> None:
        self.shutdown_requested = True
        self.closed = True
        for waiting in self.waiting.values():
            if waiting.timer is not None:
                waiting.timer.cancel()
        self.waiting.clear()
        for executor in (self.checks, self.actions):
            executor.shutdown(wait=False, cancel_futures=True)

    def log(self, message: str, level: types.MessageType = types.MessageType.Info) -> None:
        try:
            self.server.window_log_message(types.LogMessageParams(level, message))
        except Exception:  # no connection left to say it on
            pass


def _function(method: Callable[..., Any]) -> Callable[..., Any]:
    """A bound method as the plain function pygls registers (it marks its handlers with attributes)."""
    async def coroutine(params: Any) -> Any:
        return await method(params)

    def function(params: Any) -> Any:
        return method(params)

    handler = coroutine if asyncio.iscoroutinefunction(method) else function
    handler.__name__ = getattr(method, "__name__", "handler")
    return handler


def _path(uri: str) -> Path | None:
    """The file a ``file:`` URI names, resolved as discovery resolves its paths; None for another scheme."""
    if not uri.startswith("file:"):
        return None
    local = to_fs_path(uri)
    return Path(local).resolve() if local else None


def _disk_text(path: Path) -> str | None:
    """A file's text as djcheck reads it; None when it cannot be read."""
    from djlint_docker.source import Unreadable, read_text

    try:
        return read_text(path, path.parent)
    except (Unreadable, OSError):
        return None


def _range(index: LineIndex | None, line: int, column: int, encoding: str) -> types.Range:
    if index is None:  # a file djcheck could not read as text: the position as given
        point = types.Position(max(line - 1, 0), max(column - 1, 0))
        return types.Range(point, point)
    (start_line, start), (end_line, end) = index.finding_range(line, column, encoding)
    return types.Range(types.Position(start_line, start), types.Position(end_line, end))


def _position(index: LineIndex, offset: int, encoding: str) -> types.Position:
    line, character = index.position(offset, encoding)
    return types.Position(line, character)


def _meets(one: types.Range, other: types.Range) -> bool:
    def key(position: types.Position) -> tuple[int, int]:
        return position.line, position.character

    return key(one.start) <= key(other.end) and key(other.start) <= key(one.end)


def serve(delay: float = DELAY) -> int:
    """Serve one client over standard input and output; 0 when it asked for a shutdown before the end, else 1."""
    server = LanguageServer("djcheck", __version__)
    session = Session(server, delay)
    session.register()
    session.checks.submit(importlib.import_module, "djlint_docker.engine")  # the rules, while the client starts
    server.start_io()
    return 0 if session.shutdown_requested else 1
