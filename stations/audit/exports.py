"""The audit log export (AUD-5): the audit administrator's filters, masked values, the hash chain.

Served by the one download view, which logs the export itself (`export.download`, filters, rows).
"""

from itertools import islice

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stations.exports import Report, ReportFile, register
from stations.exports.xlsx import XlsxWriter
from stations.models import Role

from . import selectors
from .forms import AuditFilterForm
from .log import present

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BATCH = 1000  # entries read, masked and written per step (one sealed-case query per model and batch)


@register
class AuditLogExport(Report):
    slug = "audit-log"
    title = gettext_lazy("审计日志")
    capability = "audit.export"

    def build(self, *, user, params) -> ReportFile:
        form = AuditFilterForm(params)
        cleaned = form.cleaned_data if form.is_valid() else {}
        filters = {str(form.fields[key].label): str(value) for key, value in cleaned.items() if value}
        entries = selectors.audit_list(user=user, filters=cleaned).iterator(chunk_size=BATCH)
        roles = dict(Role.choices)

        def rows():
            while batch := list(islice(entries, BATCH)):
                for e in present(batch):
                    yield [
                        e.pk,
                        e.created_at,
                        e.actor_username,
                        str(roles.get(e.role, e.role)),
                        e.ip or "",
                        e.action,
                        e.object_type,
                        e.object_id,
                        e.shown_repr,
                        "\n".join(f"{field}: {text}" if field else text for field, text in e.shown_changes),
                        e.get_result_display(),
                        e.shown_reason,
                        e.prev_hash,
                        e.hash,
                    ]

        headers = [
            _("编号"),
            _("时间"),
            _("操作人"),
            _("角色"),
            _("IP 地址"),
            _("操作"),
            _("对象类型"),
            _("对象编号"),
            _("对象"),
            _("变更内容"),
            _("结果"),
            _("事由"),
            _("前一条哈希"),
            _("本条哈希"),
        ]
        writer = XlsxWriter(title=str(self.title), user=user, filters=filters)
        writer.sheet(
            str(self.title),
            headers,
            rows(),
            widths=[8, 18, 14, 12, 14, 22, 18, 10, 22, 50, 8, 24, 66, 66],
            key_columns=2,
        )
        stamp = timezone.localdate().strftime("%Y%m%d")
        return ReportFile(
            writer.to_bytes(), f"审计日志_{stamp}.xlsx", XLSX, row_count=writer.rows_written, filters=filters
        )
