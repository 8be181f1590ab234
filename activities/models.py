"""Activities of the six working systems (DOMAIN §3, §5): the records behind 场次, 人次 and 人数.

Counting rules (see `activities.selectors`):
- 场次 (sessions) = number of activities;
- 人次 (person-times) = Σ participants over activities; volunteer person-times and audience person-times
  are kept apart; anonymous audiences have only 人次;
- 人数 (headcount) = distinct named people (volunteers).

A joint activity of several stations of a county has one organising station (`workstation`, the scope
field) and lists every participating station, the organiser included, in `stations`: it counts once for
each of them and once in any total over a set of stations (so a county total is not Σ stations).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from stations.constraints import FieldCheckConstraint
from stations.models import PartnerType, Workstation, WorkSystem
from stations.scope_guard import ScopedManager
from volunteers.models import ServiceKind, Volunteer

OTHER_SYSTEM = "other"
SYSTEM_CHOICES = [*WorkSystem.choices, (OTHER_SYSTEM, _("其他（不属六项制度）"))]


class FormKind(models.TextChoices):
    """Which extra fields the entry form shows for a type."""

    GENERAL = "general", _("一般活动")
    LECTURE = "lecture", _("法治宣讲（学校、宣讲人）")
    MEETING = "meeting", _("联席会议（参会单位、决定事项）")
    RELIEF = "relief", _("扶贫济困（受助人数、金额、物资）")


class ActivityType(models.Model):
    """Reference table of activity types; the administrator may add types in the Django admin."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    system = models.CharField(_("所属制度"), max_length=20, choices=SYSTEM_CHOICES)
    form_kind = models.CharField(_("填报表单"), max_length=10, choices=FormKind.choices, default=FormKind.GENERAL)
    service_kind = models.CharField(
        _("志愿服务类型"), max_length=20, choices=ServiceKind.choices, default=ServiceKind.OTHER
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("活动类型")
        verbose_name_plural = _("活动类型")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class AudienceKind(models.TextChoices):
    PUPILS = "pupils", _("学生")
    RESIDENTS = "residents", _("居民")
    WORKERS = "workers", _("职工")
    YOUTH = "youth", _("帮教对象")
    MIXED = "mixed", _("其他")


class Activity(models.Model):
    workstation = models.ForeignKey(
        Workstation, verbose_name=_("主办工作站"), on_delete=models.PROTECT, related_name="activities"
    )
    stations = models.ManyToManyField(
        Workstation,
        verbose_name=_("参与工作站"),
        related_name="joint_activities",
        help_text=_("含主办工作站；联合活动在每个参与站各计 1 场，在县级合计中只计 1 场。"),
    )
    type = models.ForeignKey(ActivityType, verbose_name=_("活动类型"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("活动名称"), max_length=100)
    held_on = models.DateField(_("活动日期"))
    start_time = models.TimeField(_("开始时间"), null=True, blank=True)
    hours = models.DecimalField(_("时长（小时）"), max_digits=4, decimal_places=1, default=2)
    place = models.CharField(_("活动地点"), max_length=100, blank=True)
    partner_name = models.CharField(_("合作单位"), max_length=100, blank=True)
    partner_type = models.CharField(_("单位类型"), max_length=16, choices=PartnerType.choices, blank=True)
    volunteers = models.ManyToManyField(
        Volunteer, verbose_name=_("参加的志愿者"), blank=True, related_name="activities"
    )
    police_count = models.PositiveIntegerField(_("参加民警（人次）"), default=0)
    teacher_count = models.PositiveIntegerField(_("参加教师（人次）"), default=0)
    parent_count = models.PositiveIntegerField(_("参加家长（人次）"), default=0)
    audience_count = models.PositiveIntegerField(_("受众（人次）"), default=0)
    audience_kind = models.CharField(
        _("受众类型"), max_length=10, choices=AudienceKind.choices, default=AudienceKind.MIXED
    )
    minors_reached = models.PositiveIntegerField(_("覆盖未成年人（人次）"), default=0)
    summary = models.TextField(_("活动内容"), blank=True)
    # 法治宣讲 at a school
    school = models.CharField(_("学校"), max_length=100, blank=True)
    lecturer = models.ForeignKey(
        Volunteer,
        verbose_name=_("宣讲人（法治宣讲员）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lectures",
    )
    vice_principal_name = models.CharField(_("宣讲人（法治副校长）"), max_length=50, blank=True)
    # 联席会议
    attendee_units = models.TextField(_("参会单位"), blank=True)
    decisions = models.TextField(_("决定事项"), blank=True)
    # 扶贫济困
    people_helped = models.PositiveIntegerField(_("受助人数"), default=0)
    amount_yuan = models.DecimalField(_("资助金额（元）"), max_digits=12, decimal_places=2, default=0)
    goods = models.CharField(_("捐赠物资"), max_length=200, blank=True)

    is_archived = models.BooleanField(_("已作废"), default=False)
    archived_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "workstation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["workstation", "held_on"], name="activity_station_day"),
            models.Index(fields=["held_on", "id"], name="activity_day"),  # the list's order, newest first
        ]
        constraints = [
            FieldCheckConstraint(
                condition=Q(amount_yuan__gte=0),
                name="activity_amount_non_negative",
                field="amount_yuan",
                violation_error_message=_("金额不能为负数"),
            ),
            FieldCheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="activity_hours_range",
                field="hours",
                violation_error_message=_("时长应大于 0 小时且不超过 24 小时"),
            ),
            # a part cannot exceed its total; the people a relief activity helps count as reached
            # (relief activities record 受助人数, not an audience)
            FieldCheckConstraint(
                condition=Q(minors_reached__lte=F("audience_count") + F("people_helped")),
                name="activity_minors_within_audience",
                field="minors_reached",
                violation_error_message=_("覆盖未成年人（人次）不能多于受众人次与受助人数之和"),
            ),
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    @property
    def other_participants(self) -> int:
        return self.police_count + self.teacher_count + self.parent_count


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    SIGN_IN = "sign_in", _("签到表")
    MINUTES = "minutes", _("会议纪要")


class Attachment(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("附件类型"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to="activities/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    scope_field = "activity__workstation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("活动附件")
        ordering = ["kind", "pk"]

    def __str__(self):
        return self.original_name
