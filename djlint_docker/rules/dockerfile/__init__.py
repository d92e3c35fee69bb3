"""DJC1xx: the Dockerfile."""

# Until the old modules that import these from here are split (issue 16): they then import from the helpers' modules.
from djlint_docker.rules.dockerfile._copies import whole_context_copy  # noqa: F401
from djlint_docker.rules.dockerfile._runserver import bind_all_fix  # noqa: F401
from djlint_docker.rules.dockerfile._secrets import secret_name  # noqa: F401
from djlint_docker.rules.dockerfile.not_yet_split import NO_CACHE_DIR  # noqa: F401
