"""``.env`` and ``env_file:`` files: variables with the line that sets each (python-dotenv)."""

from __future__ import annotations

import io

from djlint_docker.parse import ParseError
from djlint_docker.records import record


@record
class EnvVar:
    """One ``KEY=value`` line; ``value`` is None for a bare ``KEY``."""

    name: str
    value: str | None
    line: int


def parse_env_file(text: str) -> dict[str, EnvVar]:
    """The variables of an env file, last one wins; a malformed line raises :class:`ParseError`."""
    # Imported here: most setups have no .env file.
    from dotenv.parser import parse_stream

    variables: dict[str, EnvVar] = {}
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            raise ParseError(f"not a KEY=value line: {binding.original.string.strip()[:80]!r}", binding.original.line)
        if binding.key is not None:
            variables[binding.key] = EnvVar(binding.key, binding.value, binding.original.line)
    return variables
