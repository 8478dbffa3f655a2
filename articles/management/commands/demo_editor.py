"""Create (or update) the demo database's editor account and print how to log in."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

USERNAME = "editor"
GROUP = "Editors"
ADDRESS = "127.0.0.1:8000"  # where `make run` serves unless HOST or PORT say otherwise


def credentials_file():
    """Where the generated password is kept (git-ignored), so each run prints the same one."""
    return Path(settings.BASE_DIR) / ".demo-editor"


def stored_password(path):
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def store_password(path, password):
    path.write_text(password + "\n", encoding="utf-8")
    path.chmod(0o600)


class Command(BaseCommand):
    help = (
        "Create or update the staff user 'editor' in the Editors group, for the demo database. "
        "The password is generated once and kept in .demo-editor in the project folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Use this password (and keep it for later runs).")
        parser.add_argument(
            "--address",
            default=ADDRESS,
            help=f"host:port the server will listen on, for the printed admin link ({ADDRESS}).",
        )

    def handle(self, *args, password=None, address=ADDRESS, **options):
        try:
            group = Group.objects.get(name=GROUP)
        except Group.DoesNotExist as e:
            raise CommandError(
                f"There is no '{GROUP}' group yet: run `python manage.py migrate` first."
            ) from e
        path = credentials_file()
        if password is not None and not password.strip():
            raise CommandError("--password may not be empty.")
        password = password or stored_password(path) or secrets.token_urlsafe(12)
        store_password(path, password)

        user, created = get_user_model().objects.get_or_create(username=USERNAME)
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(group)

        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} the demo editor account (group {GROUP}).")
        self.stdout.write(f"  Admin:    http://{address}/admin/")
        self.stdout.write(f"  Username: {USERNAME}")
        self.stdout.write(f"  Password: {password}")
