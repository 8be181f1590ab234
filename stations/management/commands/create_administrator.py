"""Create one of the three administrator accounts (三员, AC-4) at installation; print a one-time password.

The application never gives or takes an administrator role: this command is the only way, and it
refuses an account that already exists (one role per account). `--reset` gives a lost administrator a
new one-time password and removes their second factor so that they enrol again. Both are audited.
"""

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stations.roles import ADMIN_ROLES
from stations.services import administrator_create, administrator_reset


def _operator() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        name = "?"
    return f"manage.py create_administrator ({name})"


class Command(BaseCommand):
    help = "Create a system, security or audit administrator (or --reset one) and print a one-time password."

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, choices=sorted(ADMIN_ROLES))
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", default="", help="full name, surname first (e.g. 吴振东)")
        parser.add_argument("--reset", action="store_true", help="new one-time password; the TOTP device is removed")

    def handle(self, *args, role, username, name, reset, **options):
        try:
            if reset:
                user, password = administrator_reset(role=role, username=username, by=_operator())
            else:
                user, password = administrator_create(
                    role=role, username=username, last_name=name[:1], first_name=name[1:], by=_operator()
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{user.get_role_display()} {user.username}")
        self.stdout.write(f"一次性密码：{password}")
        self.stdout.write("请当面交给本人：首次登录须绑定动态口令并设置自己的密码；一次性密码过期后须重新生成。")
