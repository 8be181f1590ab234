"""The example checklist of DOMAIN §6 (illustrative; each province edits its own in the admin)."""

from django.utils.translation import gettext_lazy as _

# (code, section, text, kind, max, unit, target, figure_key, terms, evidence_required)
EXAMPLE_ITEMS = [
    ("1", _("人员"), _("站长由教导员担任，退休民警任副站长"), "deduct_per_unit", 8, 4, None, "", [], False),
    (
        "2",
        _("人员"),
        _("退休民警不少于3人，类别登记齐全"),
        "computed",
        10,
        0,
        None,
        "",
        [{"figure": "volunteers.retired_officers", "target": 3, "unit": 3, "label": "退休民警人数"}],
        False,
    ),
    ("3", _("阵地"), _("有办公场所并悬挂统一标识"), "manual", 8, 0, None, "", [], True),
    ("4", _("保障"), _("本年度经费到位"), "boolean", 4, 0, None, "stations.funding_yuan", [], False),
    (
        "5",
        _("制度"),
        _("六项制度齐全并运行"),
        "computed",
        12,
        0,
        None,
        "",
        [{"figure": "activities.systems_active", "target": 6, "unit": 2, "label": "有活动的制度数"}],
        True,
    ),
    (
        "6",
        _("制度"),
        _("理论学习/业务培训每半年不少于2次"),
        "computed",
        8,
        0,
        None,
        "",
        [{"figure": "volunteers.trainings", "target": 2, "unit": 4, "label": "培训场次"}],
        False,
    ),
    (
        "7",
        _("制度"),
        _("每半年至少召开1次联席会议并有记录"),
        "threshold",
        6,
        0,
        1,
        "activities.sessions_joint_meeting",
        [],
        True,
    ),
    (
        "8",
        _("活动"),
        _("法治宣讲每半年不少于4场"),
        "computed",
        14,
        0,
        None,
        "",
        [{"figure": "activities.legal_lectures", "target": 4, "unit": 3.5, "label": "法治宣讲场次"}],
        False,
    ),
    (
        "9",
        _("帮教"),
        _("帮教对象均有帮教小组，按时走访"),
        "computed",
        16,
        0,
        None,
        "",
        [
            {"figure": "mentoring.listed_without_team", "unit": 2, "label": "无帮教小组人数"},
            {"figure": "mentoring.overdue_contacts", "unit": 1, "label": "走访逾期人数"},
        ],
        False,
    ),
    ("10", _("活动"), _("扶贫济困、帮扶助学有记录"), "manual", 6, 0, None, "", [], True),
    (
        "11",
        _("台账"),
        _("台账及时更新，以往整改已完成"),
        "computed",
        8,
        0,
        None,
        "",
        [{"figure": "inspections.rectifications_overdue", "unit": 2, "label": "逾期整改数"}],
        False,
    ),
    ("B1", _("加分项"), _("媒体报道（每次）"), "bonus", 0, 2, None, "", [], True),
    ("B2", _("加分项"), _("受到表彰（每次）"), "bonus", 0, 2, None, "", [], True),
    ("B3", _("加分项"), _("新的共建典型（每个）"), "bonus", 0, 2, None, "", [], True),
    ("V1", _("一票否决"), _("泄露未成年人身份信息"), "veto", 0, 0, None, "", [], False),
    ("V2", _("一票否决"), _("台账弄虚作假"), "veto", 0, 0, None, "", [], False),
]
EXAMPLE_BONUS_CAP = 5

# DOMAIN §3: the 六有 are configurable; variant A is the demo default, B the alternative.
HAVE_VARIANT_A = [
    {"code": "venue", "label": "有阵地", "evidence": "photo", "source": "stations.status_active"},
    {"code": "people", "label": "有人员", "evidence": "list", "source": "volunteers.active"},
    {"code": "rules", "label": "有制度", "evidence": "document", "source": "activities.systems_active"},
    {"code": "plan", "label": "有计划", "evidence": "document", "source": ""},
    {"code": "targets", "label": "有目标", "evidence": "document", "source": ""},
    {"code": "assessment", "label": "有考核", "evidence": "document", "source": "inspections.score_h2"},
]
HAVE_VARIANT_B = [
    {"code": "venue", "label": "有阵地", "evidence": "photo", "source": "stations.status_active"},
    {"code": "rules", "label": "有制度", "evidence": "document", "source": "activities.systems_active"},
    {"code": "people", "label": "有人员", "evidence": "list", "source": "volunteers.active"},
    {"code": "activities", "label": "有活动", "evidence": "record", "source": "activities.sessions"},
    {"code": "resources", "label": "有保障", "evidence": "document", "source": "stations.funding_yuan"},
    {"code": "results", "label": "有效果", "evidence": "document", "source": ""},
]


def create_example_template(template_model, item_model, *, year: int, province=None, version: int = 1):
    """Create the example template (works with historical models in migrations too)."""
    template, created = template_model.objects.get_or_create(
        province=province,
        year=year,
        version=version,
        defaults={
            "name": "关爱工作站督查考评细则（示例）",
            "bonus_cap": EXAMPLE_BONUS_CAP,
            "grades": [[90, "优秀"], [80, "良好"], [60, "合格"]],
        },
    )
    if created:
        for order, (code, section, text, kind, maximum, unit, target, figure_key, terms, evidence) in enumerate(
            EXAMPLE_ITEMS
        ):
            item_model.objects.create(
                template=template,
                order=order,
                code=code,
                section=str(section),
                text=str(text),
                kind=kind,
                max_points=maximum,
                unit=unit,
                target=target,
                figure_key=figure_key,
                terms=terms,
                evidence_required=evidence,
            )
    return template
