"""What the server remembers of an offline entry: its device id, so a repeated send is answered with the
first result and never creates a second record."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OfflineSubmission(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client_id = models.UUIDField(_("设备记录编号"))
    kind = models.CharField(_("类型"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("所建记录"), null=True)
    message = models.CharField(_("结果"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("离线提交")
        constraints = [models.UniqueConstraint(fields=["user", "client_id"], name="offline_one_client_id_per_user")]

    def __str__(self):
        return f"{self.kind} {self.client_id}"
