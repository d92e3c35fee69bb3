"""DJC0xx: problems of djcheck itself with the files it reads."""
