"""DJC3xx: the Django settings."""
