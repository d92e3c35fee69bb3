"""DJC123 user-missing: `COPY --chown` or `USER` names a user the image never creates."""

from __future__ import annotations

from collections.abc import Iterator

from djlint_docker.findings import Severity, Violation
from djlint_docker.images import parse_image
from djlint_docker.parse.dockerfile import Dockerfile, Instruction
from djlint_docker.parse.shell import program
from djlint_docker.project import Project
from djlint_docker.registry import Example, rule
from djlint_docker.rules.dockerfile._final_image import USER_CREATORS
from djlint_docker.rules.snippets import MANAGE

UV_BUILDER = ("FROM python:3.12-slim-bookworm AS builder\nWORKDIR /app\nCOPY . /app\n"
              "RUN pip install --no-cache-dir --prefix=/install -r requirements.txt\n\n"
              "FROM python:3.12-slim-bookworm\nWORKDIR /app\n")
"""A builder stage and the start of the final one, both on the official Python image."""
FINAL = "COPY --from=builder --chown=app:app /app /app\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app.wsgi\"]\n"


@rule("DJC123", "user-missing", Severity.ERROR, examples=[
    Example("copy-owned-by-a-user-nobody-created", {
        "Dockerfile": UV_BUILDER + FINAL, "manage.py": MANAGE}, expect=(("Dockerfile", 8),)),
    Example("user-created-first", {
        "Dockerfile": UV_BUILDER + "RUN useradd --create-home app\n" + FINAL + "USER app\n", "manage.py": MANAGE}),
    Example("user-created-after-the-copy", {
        "Dockerfile": UV_BUILDER + FINAL + "RUN useradd --create-home app\nUSER app\n", "manage.py": MANAGE},
        expect=(("Dockerfile", 8),)),
    Example("alpine-adduser", {
        "Dockerfile": "FROM python:3.12-alpine\nRUN addgroup -S app && adduser -S app -G app\nWORKDIR /app\n"
                      "COPY --chown=app:app . .\nUSER app\nCMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}),
    Example("user-the-container-cannot-find", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER django\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}, expect=(("Dockerfile", 4),)),
    # Debian's own accounts, and numeric ids, need no creating.
    Example("users-the-base-image-has", {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY --chown=www-data:www-data . .\nUSER 1000:1000\n"
                      "CMD [\"gunicorn\", \"app.wsgi\"]\n", "manage.py": MANAGE}),
    # An organisation's base image may make its own users: djcheck cannot see its /etc/passwd.
    Example("base-image-of-another-organisation", {
        "Dockerfile": "FROM ghcr.io/acme/python-base:3.12\nWORKDIR /app\nCOPY --chown=app . .\nUSER app\n",
        "manage.py": MANAGE}),
    Example("user-from-a-variable", {
        "Dockerfile": "FROM python:3.12-slim\nARG APP_USER=app\nRUN useradd $APP_USER\nWORKDIR /app\n"
                      "COPY --chown=${APP_USER} . .\nUSER ${APP_USER}\n", "manage.py": MANAGE}),
    Example("users-a-script-creates", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY docker/setup.sh /tmp/\nRUN sh /tmp/setup.sh\nWORKDIR /app\n"
                      "COPY --chown=app . .\nUSER app\n", "docker/setup.sh": "useradd app\n", "manage.py": MANAGE}),
])
def user_missing(project: Project) -> Iterator[Violation]:
    """`COPY --chown` or `USER` names a user the image never creates.

    ## What it does
    For an image built on Docker's official `python`, `debian`, `ubuntu` or `alpine`
    image (whose accounts are known: `root`, `www-data`, `nobody`...), reports a
    `COPY --chown=NAME` or `ADD --chown=NAME` of a stage the final image is made of whose
    user no `RUN` before it creates (`useradd`, `adduser`), and a final `USER NAME` that
    no `RUN` creates. Numeric ids, names from a variable, images on another base (an
    organisation's may make its own users) and images where a script or a copied
    `/etc/passwd` may make them are left alone.

    ## Why is this bad?
    BuildKit looks the name up in the image's `/etc/passwd` as it copies: the build stops
    with "unable to convert uid/gid chown string to host mapping: can't find uid for user
    app". A `USER` nobody created builds, and then the container does not start: "unable to
    find user app: no matching entries in passwd file". Tutorials often copy a final stage
    (`COPY --from=builder --chown=app:app /app /app`) without the `useradd` their first
    version had.

    ## Example
    ```dockerfile
    FROM python:3.12-slim-bookworm
    COPY --from=builder --chown=app:app /app /app
    ```
    Use instead:
    ```dockerfile
    FROM python:3.12-slim-bookworm
    RUN useradd --create-home app
    COPY --from=builder --chown=app:app /app /app
    USER app
    ```

    ## References
    - [Dockerfile reference: COPY --chown](https://docs.docker.com/reference/dockerfile/#copy---chown---chmod)
    - [Dockerfile reference: USER](https://docs.docker.com/reference/dockerfile/#user)
    """
    for _, dockerfile in project.dockerfiles:
        known = _base_accounts(dockerfile)
        if known is None or _users_made_unseen(dockerfile):
            continue
        created: set[str] = set(known)
        final_user: Instruction | None = None
        for stage in dockerfile.lineage(dockerfile.final):
            for instruction in stage.instructions:
                if instruction.keyword == "RUN":
                    created.update(word for command in instruction.commands if program(command) in USER_CREATORS
                                   for word in command.words[1:])
                elif instruction.keyword in {"COPY", "ADD"} and (owner := instruction.flag("chown")):
                    user = owner.split(":")[0]
                    if _named(user) and user not in created:
                        yield Violation(dockerfile.at(instruction), f"`{instruction.keyword} --chown={owner}`: the "
                                        f"image has no user {user} when it copies (no RUN before it creates it): the "
                                        f"build stops (\"can't find uid for user {user}\"); create it first "
                                        f"(`RUN useradd --create-home {user}`)")
                elif instruction.keyword == "USER":
                    final_user = instruction
        user = final_user.args.strip().split(":")[0] if final_user is not None else ""
        if final_user is not None and _named(user) and user not in created:
            yield Violation(dockerfile.at(final_user), f"`USER {final_user.args.strip()}`: no RUN of the image creates "
                                                       f"user {user}: the container does not start (\"unable to find "
                                                       f"user {user}: no matching entries in passwd file\"); create it "
                                                       f"(`RUN useradd --create-home {user}`)")


DEBIAN_ACCOUNTS = frozenset({
    "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy", "www-data",
    "backup", "list", "irc", "gnats", "nobody", "_apt", "ubuntu", "messagebus", "systemd-network",
})
"""The accounts of Debian's and Ubuntu's base images (Ubuntu 23.04 on adds ``ubuntu``)."""
ALPINE_ACCOUNTS = frozenset({
    "root", "bin", "daemon", "adm", "lp", "sync", "shutdown", "halt", "mail", "news", "uucp", "operator", "man",
    "postmaster", "cron", "ftp", "sshd", "at", "squid", "xfs", "games", "cyrus", "vpopmail", "ntp", "smmsp", "guest",
    "nobody", "www-data",
})
"""The accounts of Alpine's base image."""
OFFICIAL_BASES = frozenset({"python", "debian", "ubuntu", "alpine"})


def _base_accounts(dockerfile: Dockerfile) -> frozenset[str] | None:
    """The accounts of the official image the final image is made from; None for any other base."""
    root = dockerfile.lineage(dockerfile.final)[0].image
    if not root or "$" in root:
        return None
    image = parse_image(root)
    repository = image.repository.removeprefix("docker.io/").removeprefix("library/")
    if repository not in OFFICIAL_BASES:
        return None
    return ALPINE_ACCOUNTS if repository == "alpine" or "alpine" in (image.tag or "") else DEBIAN_ACCOUNTS


def _users_made_unseen(dockerfile: Dockerfile) -> bool:
    """Whether the image may get accounts djcheck does not see made: a RUN that runs a script or a piped download,
    or a COPY of ``/etc/passwd`` or ``/etc/group``."""
    for stage in dockerfile.lineage(dockerfile.final):
        for instruction in stage.instructions:
            text = instruction.script
            if instruction.keyword == "RUN" and (".sh" in text or "| sh" in text or "|sh" in text or "| bash" in text):
                return True
            if instruction.keyword in {"COPY", "ADD"} and ("/etc/passwd" in text or "/etc/group" in text):
                return True
    return False


def _named(user: str) -> bool:
    """Whether an owner or a USER is a name to look up: not a number, nor a variable."""
    return bool(user) and not user.isdigit() and "$" not in user
