"""djcheck: lint a Django project that runs in Docker as one setup."""

__version__ = "0.1.0"
