"""`practica demo`: migrate, load the demo partnership, print the logins and serve it with its
background worker (imports and other long jobs run there)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from practica.demo.data import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo partnership (idempotent) and serve it on http://127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Load the data and stop.")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="Where to serve.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo partnership loaded. Sign in with any of these:"))
        width = max(len(login.email) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.email:<{width}}  {login.role}, {login.organisation}")
        self.stdout.write(f"Password for every demo login: {DEMO_PASSWORD}")
        if options["no_serve"]:
            return
        # the same settings and database as this process; stopped when the server stops
        worker = subprocess.Popen([sys.executable, "-m", "practica.cli", "db_worker"])
        self.stdout.write(f"Background worker started (process {worker.pid}).")
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
