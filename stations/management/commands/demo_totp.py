"""Print the current TOTP code of a demo account's device (never in production)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo administrator (development and demo only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if settings.PRODUCTION:
            raise CommandError("生产环境不提供动态口令。")
        device = TOTPDevice.objects.filter(user__username__iexact=username, confirmed=True).order_by("pk").first()
        if device is None:
            raise CommandError(f"账户 {username} 没有已绑定的动态口令设备。")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        remaining = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        self.stderr.write(f"（{remaining} 秒内有效）")
