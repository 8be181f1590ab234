"""Excel import of a station's youth files (issue 16), station users only, on the shared reader.

Each row goes through the intake form and `youth_intake` — the same checks, ID validation and hashing,
stage record and audit entry as a file opened by hand; all rows or none. Minors' rules hold: only a
station user with the intake capability and the right to see identities imports; the row report never
echoes a name or ID number; the preview masks ID numbers; an ID already on file elsewhere in the
province is a warning with a count, never the other station's record.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from stations import idnumbers
from stations.audit.log import audit
from stations.imports.rows import Column, RowImporter
from stations.roles import require, works_at_station

from . import selectors, services
from .forms import IntakeForm
from .models import Category, Gender, IntakeSource, Kind, LegalBasis, RiskLevel, SchoolStatus


class YouthImporter(RowImporter):
    kind = "youth"
    what = "帮教对象"
    capability = "mentoring.edit"
    audit_action = "youth.import"
    columns = (
        Column(
            "name", "姓名", ("名字", "未成年人姓名", "对象姓名", "帮教对象姓名"), True, max_length=50, sensitive=True
        ),
        Column("gender", "性别", (), kind="choice", choices=tuple(Gender.choices)),
        Column("birth_date", "出生日期", ("出生年月日", "出生年月", "生日"), kind="date"),
        Column(
            "id_number",
            "身份证号",
            ("公民身份号码", "身份证号码", "身份证", "证件号码", "居民身份证号码"),
            kind="id",
            sensitive=True,
        ),
        Column(
            "categories_list",
            "类别",
            ("对象类别", "帮教类别", "人员类别", "类型", "对象类型类别"),
            True,
            kind="choices",
            choices=tuple(Category.choices),
        ),
        Column(
            "school_status",
            "就学就业情况",
            ("就学情况", "在校情况", "就学就业", "学业状况", "就业就学情况"),
            True,
            kind="choice",
            choices=tuple(SchoolStatus.choices),
        ),
        Column("home_area", "居住区域", ("居住地", "家庭住址", "住址", "现住址", "居住地址"), max_length=100),
        Column("kind", "对象类型", ("帮扶类型", "帮教类型"), kind="choice", choices=tuple(Kind.choices)),
        Column(
            "intake_source",
            "来源",
            ("线索来源", "发现途径", "来源渠道", "接收来源"),
            True,
            kind="choice",
            choices=tuple(IntakeSource.choices),
        ),
        Column("intake_on", "接收日期", ("建档日期", "接收时间", "建档时间", "登记日期"), True, "date"),
        Column("intake_reference", "来源编号/文书号", ("文书号", "来源编号", "文书编号"), max_length=60),
        Column(
            "risk_level",
            "风险等级",
            ("风险", "风险评估等级", "风险级别"),
            True,
            kind="choice",
            choices=tuple(RiskLevel.choices),
        ),
        Column("risk_assessed_on", "评估日期", ("风险评估日期", "评估时间"), kind="date"),
        Column("legal_basis", "处理依据", ("信息处理依据",), kind="choice", choices=tuple(LegalBasis.choices)),
        Column("guardian_name", "监护人姓名", ("监护人",), max_length=50, sensitive=True),
        Column("guardian_relation", "监护人关系", ("与监护人关系", "关系"), max_length=20),
        Column("guardian_phone", "监护人电话", ("监护人联系电话", "家长电话", "联系电话"), sensitive=True),
    )

    def prepare(self, *, actor) -> dict:
        if not works_at_station(actor):
            raise PermissionDenied("no own station")
        require(actor, "mentoring.view_identity")  # the preview shows the minors' names
        return {"station": actor.workstation, "elsewhere": 0}

    def write_row(self, *, actor, data: dict, context: dict) -> None:
        station = context["station"]
        number = data.get("id_number") or ""
        post = {key: value for key, value in data.items() if value not in (None, "", [])}
        if number:
            # what the intake form leaves to the person filling it in, the ID number already says
            post.setdefault("birth_date", idnumbers.birth_date_of(number))
            post.setdefault("gender", idnumbers.gender_of(number))
        post.setdefault("kind", Kind.MENTORING)
        post.setdefault("legal_basis", LegalBasis.STATUTORY_DUTY)
        post.setdefault("risk_assessed_on", data["intake_on"])
        if selectors.youth_on_file(
            user=actor,
            workstation=station,
            id_hash=idnumbers.lookup_hash(number) if number else "",
            name=data["name"],
            birth_date=post.get("birth_date"),
        ):
            raise ValidationError({"id_number" if number else "name": _("本站已有此人的帮教档案（可能已导入过）")})
        for key in ("birth_date", "intake_on", "risk_assessed_on"):
            if post.get(key):
                post[key] = post[key].isoformat()
        form = IntakeForm(post)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        cleaned = dict(form.cleaned_data)
        categories = cleaned.pop("categories_list")
        guardian = {k: cleaned.pop(f"guardian_{k}") for k in ("relation", "name", "phone")}
        if services.duplicate_warning(actor=actor, workstation=station, id_number=cleaned.get("id_number", "")):
            context["elsewhere"] += 1
        services.youth_intake(
            actor=actor,
            workstation=station,
            categories=categories,
            guardians=[guardian] if guardian["name"] else [],
            **cleaned,
        )

    def warnings(self, context: dict) -> list[str]:
        if not context.get("elsewhere"):
            return []
        return [
            _("有 %(n)d 人的身份证号在本省已有帮教记录，请与相关工作站核实，避免重复建档。")
            % {"n": context["elsewhere"]}
        ]

    def log(self, *, actor, object_repr: str, changes: dict) -> None:
        audit(actor=actor, action="youth.import", object_repr=object_repr, changes=changes)


IMPORTER = YouthImporter()
