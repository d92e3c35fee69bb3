"""DJC2xx: the compose file."""
