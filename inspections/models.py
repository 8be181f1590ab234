"""Models of the inspections app: checklist templates, half-yearly rounds and inspections,
rectifications, the annual checklist (年度台账) and the biennial award (DOMAIN §6)."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.constraints import FieldCheckConstraint
from stations.models import OrgUnit, Workstation
from stations.scope_guard import ScopedManager, ScopedQuerySet

from . import scoring


class Half(models.IntegerChoices):
    H1 = 1, _("上半年")
    H2 = 2, _("下半年")


class HaveItemSet(models.Model):
    """The 六有 items of a province for a year (DOMAIN §3: configurable, variant A/B or eight)."""

    province = models.ForeignKey(OrgUnit, verbose_name=_("省"), on_delete=models.PROTECT, related_name="have_item_sets")
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=60, default="六有")
    # [{"code", "label", "evidence", "source"}]: source is an optional figure key that pre-fills the status
    items = models.JSONField(_("项目"), default=list)

    class Meta:
        verbose_name = _("“六有”项目")
        verbose_name_plural = _("“六有”项目")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="uniq_have_item_set")]

    def __str__(self):
        return f"{self.province.name} {self.year} {self.name}"

    def clean(self):
        if not isinstance(self.items, list) or not all(
            isinstance(item, dict) and item.get("code") and item.get("label") for item in self.items
        ):
            raise ValidationError({"items": _("每一项须有 code 与 label")})


class ChecklistTemplate(models.Model):
    """A versioned checklist; inspections keep the version they were scored with."""

    province = models.ForeignKey(
        OrgUnit,
        verbose_name=_("适用省份"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checklist_templates",
        help_text=_("留空表示适用于所有省份"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=100)
    bonus_cap = models.DecimalField(_("加分上限"), max_digits=5, decimal_places=1, default=Decimal(5))
    # [[floor, label], ...] high to low; below the last floor: 不合格
    grades = models.JSONField(_("等次"), default=list, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考评细则")
        verbose_name_plural = _("考评细则")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year", "version"], name="uniq_template_version"),
            FieldCheckConstraint(
                condition=Q(bonus_cap__gte=0),
                name="template_bonus_cap_non_negative",
                field="bonus_cap",
                violation_error_message=_("加分上限不能为负数"),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.year} v{self.version}）"

    @property
    def grade_table(self):
        return [(Decimal(str(f)), label) for f, label in self.grades] if self.grades else scoring.DEFAULT_GRADES

    @property
    def in_use(self) -> bool:
        return self.pk is not None and self.inspections.exists()

    def rules(self) -> list[scoring.Rule]:
        return [item.rule() for item in self.items.all()]


class TemplateItem(models.Model):
    KIND_CHOICES = [
        (scoring.MANUAL, _("人工评分")),
        (scoring.BOOLEAN, _("是/否")),
        (scoring.DEDUCT, _("按缺项扣分")),
        (scoring.THRESHOLD, _("达标得分")),
        (scoring.COMPUTED, _("系统数据计算")),
        (scoring.BONUS, _("加分项")),
        (scoring.VETO, _("一票否决")),
    ]

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    code = models.CharField(_("编号"), max_length=10)
    section = models.CharField(_("类别"), max_length=30)
    text = models.CharField(_("考评内容"), max_length=200)
    kind = models.CharField(_("评分方式"), max_length=20, choices=KIND_CHOICES)
    max_points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1, default=0)
    unit = models.DecimalField(_("每项扣/加分"), max_digits=5, decimal_places=1, default=0)
    target = models.DecimalField(_("达标数"), max_digits=8, decimal_places=1, null=True, blank=True)
    figure_key = models.CharField(_("系统数据"), max_length=60, blank=True, help_text=_("预填的系统数据名称"))
    # computed items: [{"figure", "unit", "target", "label"}]
    terms = models.JSONField(_("计算项"), default=list, blank=True)
    evidence_required = models.BooleanField(_("须提供佐证"), default=False)

    class Meta:
        verbose_name = _("考评项目")
        verbose_name_plural = _("考评项目")
        ordering = ["template", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="uniq_template_item_code"),
            FieldCheckConstraint(
                condition=Q(max_points__gte=0),
                name="template_item_max_non_negative",
                field="max_points",
                violation_error_message=_("分值不能为负数"),
            ),
            FieldCheckConstraint(
                condition=Q(unit__gte=0),
                name="template_item_unit_non_negative",
                field="unit",
                violation_error_message=_("每项扣/加分不能为负数"),
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.text}"

    def rule(self) -> scoring.Rule:
        terms = tuple(
            scoring.Term(
                figure=t.get("figure", ""),
                unit=scoring.to_decimal(t.get("unit", 0)),
                target=scoring.to_decimal(t.get("target")),
                label=t.get("label", ""),
            )
            for t in self.terms or []
        )
        return scoring.Rule(self.code, self.kind, self.max_points, self.unit, self.target, terms)

    @property
    def input_figures(self) -> list[str]:
        """The figure key pre-filling each input ("" for an input the officer enters)."""
        if self.kind == scoring.COMPUTED:
            return [t.get("figure", "") for t in self.terms or []]
        return [self.figure_key]

    def clean(self):
        if self.kind == scoring.COMPUTED and not self.terms:
            raise ValidationError({"terms": _("系统数据计算项须至少有一个计算项")})
        if self.kind == scoring.THRESHOLD and self.target is None:
            raise ValidationError({"target": _("达标得分项须填写达标数")})


class RoundStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class InspectionRound(models.Model):
    """A county's half-yearly round: one inspection per active workstation."""

    county = models.ForeignKey(OrgUnit, verbose_name=_("县/区"), on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("年度"))
    half = models.PositiveSmallIntegerField(_("半年"), choices=Half.choices)
    template = models.ForeignKey(ChecklistTemplate, verbose_name=_("考评细则"), on_delete=models.PROTECT)
    status = models.CharField(_("状态"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("督查轮次")
        verbose_name_plural = _("督查轮次")
        ordering = ["-year", "-half", "county__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "half"],
                name="uniq_round_per_half",
                violation_error_message=_("该县/区本半年度的督查轮次已开启"),
            ),
            FieldCheckConstraint(
                condition=Q(half__in=[1, 2]),
                name="round_half_valid",
                field="half",
                violation_error_message=_("请选择上半年或下半年"),
            ),
        ]

    def __str__(self):
        return f"{self.county.name} {self.period_label}"

    @property
    def period_label(self) -> str:
        return f"{self.year}年{self.get_half_display()}"


class InspectionStatus(models.TextChoices):
    DRAFT = "draft", _("待评分")
    SUBMITTED = "submitted", _("已提交")
    SUPERSEDED = "superseded", _("已更正（旧版本）")


METHODS = [
    ("report", _("听汇报")),
    ("ledger", _("查台账")),
    ("site", _("看现场")),
    ("visit", _("走访")),
    ("discussion", _("座谈")),
    ("survey", _("问卷")),
]


class Inspection(models.Model):
    round = models.ForeignKey(
        InspectionRound, verbose_name=_("轮次"), on_delete=models.PROTECT, related_name="inspections"
    )
    workstation = models.ForeignKey(
        Workstation, verbose_name=_("工作站"), on_delete=models.PROTECT, related_name="inspections"
    )
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="inspections")
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="correction")
    correction_reason = models.CharField(_("更正原因"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=InspectionStatus.choices, default=InspectionStatus.DRAFT
    )
    methods = models.JSONField(_("督查方式"), default=list, blank=True)
    inspected_on = models.DateField(_("督查日期"), null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField(_("总体评价"), blank=True)
    base_points = models.DecimalField(_("基础分"), max_digits=5, decimal_places=1, null=True, blank=True)
    bonus_points = models.DecimalField(_("加分"), max_digits=5, decimal_places=1, null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=10, blank=True)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)

    scope_field = "workstation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("督查考评")
        verbose_name_plural = _("督查考评")
        ordering = ["round", "workstation__code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["round", "workstation", "version"], name="uniq_inspection_version"),
            # the scoring engine floors every total at 0 (DOMAIN §6)
            models.CheckConstraint(
                condition=Q(base_points__gte=0) & Q(bonus_points__gte=0) & Q(score__gte=0),
                name="inspection_points_non_negative",
                violation_error_message=_("得分不能为负数"),
            ),
        ]

    def __str__(self):
        return f"{self.workstation.name} {self.round.period_label}"

    @property
    def is_locked(self) -> bool:
        return self.status != InspectionStatus.DRAFT

    @property
    def penalty(self):
        """Points taken off for repeated findings (base + bonus − score)."""
        if None in (self.base_points, self.bonus_points, self.score):
            return None
        return self.base_points + self.bonus_points - self.score

    @property
    def method_labels(self) -> list[str]:
        labels = dict(METHODS)
        return [str(labels[m]) for m in self.methods if m in labels]


class InspectionItem(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(TemplateItem, on_delete=models.PROTECT, related_name="+")
    # the officer's values, one per input (see TemplateItem.input_figures); None = not entered
    values = models.JSONField(_("录入值"), default=list, blank=True)
    # the system figures at pre-fill, one per input; None = the figure is not available
    system_values = models.JSONField(_("系统数据"), default=list, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    points = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    # Incremented on every change of values or note: an offline score sent with an older version is a
    # conflict the officer resolves, never a silent overwrite (REL-3, issue 17).
    version = models.PositiveIntegerField(_("版本"), default=0)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    scope_field = "inspection__workstation"
    objects = ScopedManager()

    class Meta:
        ordering = ["item__order", "item__pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="uniq_inspection_item"),
            # the upper bound (the item's value) lives on TemplateItem: `services._check_bounds` and the
            # scoring engine's clamp keep it
            FieldCheckConstraint(
                condition=Q(points__gte=0),
                name="inspection_item_points_non_negative",
                field="points",
                violation_error_message=_("得分不能为负数"),
            ),
        ]

    def __str__(self):
        return f"{self.inspection} · {self.item.code}"

    @property
    def corrected(self) -> bool:
        return any(
            s is not None and v is not None and Decimal(str(s)) != Decimal(str(v))
            for s, v in zip(self.system_values, self.values, strict=False)
        )


class Severity(models.TextChoices):
    NORMAL = "normal", _("一般")
    SERIOUS = "serious", _("严重")


class RectStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    ANSWERED = "answered", _("已反馈")
    VERIFIED = "verified", _("已验收")
    RETURNED = "returned", _("退回重改")


def overdue_q(on: date | None = None) -> Q:
    """A finding not yet answered (or sent back) whose due day is before `on` (today)."""
    return Q(status__in=[RectStatus.OPEN, RectStatus.RETURNED], due_on__lt=on or timezone.localdate())


class RectificationQuerySet(ScopedQuerySet):
    def overdue(self, on: date | None = None):
        return self.filter(overdue_q(on))

    def unverified(self):
        return self.exclude(status=RectStatus.VERIFIED)


class Rectification(models.Model):
    workstation = models.ForeignKey(
        Workstation, verbose_name=_("工作站"), on_delete=models.PROTECT, related_name="rectifications"
    )
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("督查"), on_delete=models.PROTECT, related_name="rectifications"
    )
    item = models.ForeignKey(
        TemplateItem, verbose_name=_("考评项目"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finding = models.CharField(_("存在问题"), max_length=300)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices, default=Severity.NORMAL)
    due_on = models.DateField(_("整改期限"))
    responsible = models.CharField(_("责任人"), max_length=50)
    status = models.CharField(_("状态"), max_length=10, choices=RectStatus.choices, default=RectStatus.OPEN)
    answer = models.TextField(_("整改情况"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    # 回头看: the inspection of the next round that re-checked it
    rechecked_in = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.SET_NULL, related_name="rechecked"
    )
    repeated = models.BooleanField(_("重复出现"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    scope_field = "workstation"
    objects = ScopedManager.from_queryset(RectificationQuerySet)()

    class Meta:
        verbose_name = _("整改")
        verbose_name_plural = _("整改")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="rect_status_due")]

    def __str__(self):
        return self.finding[:40]

    def is_overdue(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.status in (RectStatus.OPEN, RectStatus.RETURNED) and self.due_on < on

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def display_status(self) -> str:
        return str(_("已逾期")) if self.overdue else self.get_status_display()


class RectificationEvidence(models.Model):
    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("佐证材料"), upload_to="inspections/evidence/%Y/")
    name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    scope_field = "rectification__workstation"
    objects = ScopedManager()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class ChecklistStatus(models.TextChoices):
    DRAFT = "draft", _("填写中")
    SUBMITTED = "submitted", _("已提交")
    REVIEWED = "reviewed", _("已审核")


class AnnualChecklist(models.Model):
    """年度台账: system figures snapshotted at submit, plus what only the station knows."""

    workstation = models.ForeignKey(
        Workstation, verbose_name=_("工作站"), on_delete=models.PROTECT, related_name="annual_checklists"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=10, choices=ChecklistStatus.choices, default=ChecklistStatus.DRAFT)
    figures = models.JSONField(_("系统数据"), default=dict, blank=True)  # {key: value} frozen at submit
    haves = models.JSONField(_("“六有”情况"), default=dict, blank=True)  # {code: true/false}
    problems = models.TextField(_("存在问题"), blank=True)
    plans = models.TextField(_("下年度计划"), blank=True)
    honours = models.TextField(_("获得表彰"), blank=True)
    filled_by = models.CharField(_("填表人"), max_length=50, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)

    scope_field = "workstation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("年度台账")
        verbose_name_plural = _("年度台账")
        ordering = ["-year", "workstation__code"]
        constraints = [models.UniqueConstraint(fields=["workstation", "year"], name="uniq_checklist_year")]

    def __str__(self):
        return f"{self.workstation.name} {self.year}"


class AwardStatus(models.TextChoices):
    NOMINATING = "nominating", _("县级推荐")
    REVIEWING = "reviewing", _("市级审核")
    NOTICE = "notice", _("公示中")
    DECIDING = "deciding", _("省级决定")
    CLOSED = "closed", _("已结束")


class AwardCycle(models.Model):
    """优秀爱心工作站, every two years: eligibility from the four half-year scores of the two years."""

    province = models.ForeignKey(OrgUnit, verbose_name=_("省"), on_delete=models.PROTECT, related_name="award_cycles")
    first_year = models.PositiveSmallIntegerField(_("起始年度"))
    status = models.CharField(_("阶段"), max_length=12, choices=AwardStatus.choices, default=AwardStatus.NOMINATING)
    min_each = models.DecimalField(_("每次得分不低于"), max_digits=4, decimal_places=1, default=Decimal(85))
    min_mean = models.DecimalField(_("平均分不低于"), max_digits=4, decimal_places=1, default=Decimal(90))
    quota_percent = models.PositiveSmallIntegerField(_("推荐名额（%）"), default=10)
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=7)
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("优秀爱心工作站评选")
        verbose_name_plural = _("优秀爱心工作站评选")
        ordering = ["-first_year"]
        constraints = [
            # overlapping cycles (2024—2025 and 2025—2026) need a query: services.award_cycle_open
            models.UniqueConstraint(
                fields=["province", "first_year"], name="uniq_award_cycle", violation_error_message=_("该届评选已开启")
            ),
            FieldCheckConstraint(
                condition=Q(min_each__gte=0) & Q(min_each__lte=100),
                name="award_min_each_range",
                field="min_each",
                violation_error_message=_("分数应在 0 至 100 之间"),
            ),
            FieldCheckConstraint(
                condition=Q(min_mean__gte=0) & Q(min_mean__lte=100),
                name="award_min_mean_range",
                field="min_mean",
                violation_error_message=_("分数应在 0 至 100 之间"),
            ),
            FieldCheckConstraint(
                condition=Q(quota_percent__gte=1) & Q(quota_percent__lte=100),
                name="award_quota_range",
                field="quota_percent",
                violation_error_message=_("推荐名额应在 1% 至 100% 之间"),
            ),
            FieldCheckConstraint(
                condition=Q(notice_days__gte=1),
                name="award_notice_days_positive",
                field="notice_days",
                violation_error_message=_("公示天数至少为 1 天"),
            ),
            FieldCheckConstraint(
                condition=Q(decided_on__isnull=True)
                | Q(notice_start__isnull=True)
                | Q(decided_on__gte=F("notice_start")),
                name="award_decided_after_notice",
                field="decided_on",
                violation_error_message=_("决定日期不能早于公示开始日期"),
            ),
        ]

    def __str__(self):
        return f"{self.first_year}—{self.last_year}年度优秀爱心工作站评选"

    @property
    def last_year(self) -> int:
        return self.first_year + 1

    @property
    def notice_end(self) -> date | None:
        from datetime import timedelta

        return self.notice_start + timedelta(days=self.notice_days) if self.notice_start else None


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("已推荐")
    CITY_APPROVED = "city_approved", _("市级同意")
    CITY_REJECTED = "city_rejected", _("市级不同意")
    AWARDED = "awarded", _("授予")
    REJECTED = "rejected", _("未授予")


class Nomination(models.Model):
    cycle = models.ForeignKey(AwardCycle, on_delete=models.PROTECT, related_name="nominations")
    workstation = models.ForeignKey(
        Workstation, verbose_name=_("工作站"), on_delete=models.PROTECT, related_name="nominations"
    )
    reason = models.TextField(_("推荐理由"))
    scores = models.JSONField(_("四次得分"), default=list)
    status = models.CharField(
        _("状态"), max_length=14, choices=NominationStatus.choices, default=NominationStatus.NOMINATED
    )
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    nominated_at = models.DateTimeField(default=timezone.now)
    city_note = models.CharField(_("市级意见"), max_length=300, blank=True)
    decision_note = models.CharField(_("省级意见"), max_length=300, blank=True)
    certificate_no = models.CharField(_("证书编号"), max_length=30, blank=True)

    scope_field = "workstation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("推荐")
        verbose_name_plural = _("推荐")
        ordering = ["cycle", "workstation__code"]
        constraints = [models.UniqueConstraint(fields=["cycle", "workstation"], name="uniq_nomination")]

    def __str__(self):
        return f"{self.workstation.name}（{self.cycle}）"

    @property
    def mean_score(self):
        return (
            (sum(Decimal(str(s)) for s in self.scores) / len(self.scores)).quantize(Decimal("0.1"))
            if self.scores
            else None
        )


class Objection(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField(_("收到日期"))
    text = models.TextField(_("异议内容"))
    handling = models.TextField(_("处理结果"), blank=True)
    upheld = models.BooleanField(_("异议成立"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)

    scope_field = "nomination__workstation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("公示异议")
        ordering = ["pk"]

    def __str__(self):
        return self.text[:40]
