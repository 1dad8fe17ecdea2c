#!/usr/bin/env python
"""Same as the `practica` command, for people used to manage.py."""

from practica.cli import main

if __name__ == "__main__":
    main()
