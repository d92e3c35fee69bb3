"""DJC4xx: the project as a whole: build contexts, the file system, git, requirements."""
