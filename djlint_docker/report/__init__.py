"""Output formats: each module turns findings into text for one audience."""

from djlint_docker.report import json_format, text

FORMATS = {"text": text.render, "json": json_format.render}
