"""Files that many rule examples share."""

MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n"
"""The ``manage.py`` that makes a folder with a Dockerfile a Django project."""
