"""Load the demo province (synthetic data) and print the demo logins. Safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from stations import demo
from stations.models import OrgUnit


class Command(BaseCommand):
    help = "Load the demo province: org tree, workstations, one account of every role, and app records."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Only load when the database has no org units.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (the same seed gives the same data).")

    def handle(self, *args, **options):
        if options["if_empty"] and OrgUnit.objects.exists():
            self.stdout.write("数据库已有数据，跳过演示数据加载。")
        else:
            with transaction.atomic():
                demo.seed_province(
                    random_seed=options["seed"],
                    report=lambda config: self.stdout.write(f"  {config.verbose_name}: ok"),
                )
            self.stdout.write(self.style.SUCCESS("演示数据已加载。"))
        self.print_logins()

    def print_logins(self):
        from stations.models import User

        self.stdout.write("")
        self.stdout.write(f"演示账户（密码均为 {demo.DEMO_PASSWORD}）：")
        for username, _role, _scope, _name in demo.ACCOUNTS:
            user = User.objects.select_related("workstation", "org_unit").filter(username=username).first()
            if user:
                self.stdout.write(f"  {username:<15} {user.get_role_display():<8} {user.scope_label}")
        from stations.accounts.demo import LOCKED

        if User.objects.filter(username=LOCKED).exists():
            self.stdout.write(f"  {LOCKED:<15} 已被锁定（连续输错密码），安全管理员解除锁定后可用同一密码登录")
        self.stdout.write("管理员登录还需动态口令：运行 `python manage.py demo_totp <用户名>` 查看当前口令（仅演示）。")
