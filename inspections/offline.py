"""Offline entry of inspections: one item scored on the phone, applied with the scoring page's form and
service; an item changed meanwhile by someone else is a conflict the officer resolves (stations.offline)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.offline.registry import Applied, Conflict, Kind, Refused, register
from stations.roles import has_capability

from . import selectors, services
from .forms import ItemScoresForm


def apply_score(actor, object_id, data, base_version) -> Applied:
    inspection = selectors.inspection_get(user=actor, pk=object_id)  # another county's: 404
    if inspection.is_locked:
        raise Refused({"__all__": [_("该督查已提交并锁定；如需更正，请使用“更正”并填写原因。")]})
    rows = selectors.inspection_rows(inspection)
    row = next((r for r in rows if str(r["entry"].pk) == str(data.get("item", ""))), None)
    if row is None:
        raise Refused({"__all__": [_("督查的评分项目已变更（模板已更换或已更正），请重新打开评分页填写。")]})
    form = ItemScoresForm(data, rows=[row])
    if not form.is_valid():
        raise Refused({"__all__": form.item_errors().get(row["entry"].pk, [_("请检查填写的数值")])})
    try:
        version = int(base_version)
    except (TypeError, ValueError):
        raise Refused({"__all__": [_("缺少评分版本，请重新打开评分页填写。")]}) from None
    try:
        services.inspection_score(
            actor=actor,
            inspection=inspection,
            values=form.values(),
            notes=form.notes(),
            versions={row["entry"].pk: version},
        )
    except services.ScoreConflict as exc:
        entry = exc.entry
        by = entry.scored_by
        raise Conflict(
            version=entry.version,
            current={
                "values": entry.values,
                "note": entry.note,
                "by": f"{by.last_name}{by.first_name}" if by else "",
                "at": timezone.localtime(entry.scored_at).strftime("%Y-%m-%d %H:%M") if entry.scored_at else "",
            },
        ) from None
    return Applied(row["entry"].pk, _("已保存评分：%(code)s") % {"code": row["item"].code})


def score_pages(user) -> list[str]:
    if not has_capability(user, "inspections.score"):
        return []
    return [
        reverse("inspections:inspection-score", kwargs={"pk": pk})
        for pk in selectors.inspection_ids_to_score(user=user)
    ]


register(Kind(name="score", capability="inspections.score", apply=apply_score, pages=score_pages))
