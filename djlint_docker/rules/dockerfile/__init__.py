"""DJC1xx: the Dockerfile."""
