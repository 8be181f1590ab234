"""Five-elder (五老) volunteers and other station members, their station roles and the service-hours ledger."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from stations.constraints import FieldCheckConstraint
from stations.models import Workstation
from stations.scope_guard import ScopedManager


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class ElderCategory(models.TextChoices):
    VETERAN_CADRE = "veteran_cadre", _("老干部")
    VETERAN_SOLDIER = "veteran_soldier", _("老战士")
    VETERAN_EXPERT = "veteran_expert", _("老专家")
    VETERAN_TEACHER = "veteran_teacher", _("老教师")
    MODEL_WORKER = "model_worker", _("老模范")
    NONE = "none", _("非五老")


class MemberType(models.TextChoices):
    RETIRED_OFFICER = "retired_officer", _("退休民警")
    COMMUNITY_POLICE = "community_police", _("社区民警")
    AUXILIARY_POLICE = "auxiliary_police", _("辅警")
    GRID_WORKER = "grid_worker", _("网格员")
    SECURITY_VOLUNTEER = "security_volunteer", _("治安志愿者")
    OTHER = "other", _("其他")


class Position(models.TextChoices):
    HEAD = "head", _("站长")
    DEPUTY = "deputy", _("副站长")
    MEMBER = "member", _("成员")


class StationRole(models.TextChoices):
    """The six five-elder station roles (DOMAIN §2); a volunteer may hold several."""

    LEGAL_LECTURER = "legal_lecturer", _("法治宣讲员")
    ORDER_MONITOR = "order_monitor", _("治安监督员")
    ONLINE_MONITOR = "online_monitor", _("网络舆情监测员")
    MEDIATOR = "mediator", _("矛盾调解员")
    TIP_INFORMANT = "tip_informant", _("治安线索信息员")
    YOUTH_COUNSELLOR = "youth_counsellor", _("青少年心理咨询员")


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("在岗")
    PAUSED = "paused", _("暂停")
    LEFT = "left", _("已退出")
    DECEASED = "deceased", _("已故")


CURRENT_STATUSES = (VolunteerStatus.ACTIVE, VolunteerStatus.PAUSED)

# A volunteer's own details, besides the name and the ID number: the one list the form shows, the
# import updates and the edit service accepts (in the order the form shows them).
VOLUNTEER_DETAILS = (
    "gender",
    "birth_date",
    "mobile",
    "elder_category",
    "member_type",
    "former_unit",
    "former_rank",
    "political_status",
    "health",
    "skills",
    "position",
    "joined_on",
)


class Volunteer(models.Model):
    """One person's membership of one workstation.

    A transfer ends this row (status left) and opens a new row at the other station, so each station
    keeps its own history; the same person is current (active or paused) in one station at a time.
    """

    workstation = models.ForeignKey(
        Workstation, verbose_name=_("所属工作站"), on_delete=models.PROTECT, related_name="volunteers"
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True)
    elder_category = models.CharField(
        _("五老类别"), max_length=20, choices=ElderCategory.choices, default=ElderCategory.NONE
    )
    member_type = models.CharField(_("人员类型"), max_length=20, choices=MemberType.choices)
    former_unit = models.CharField(_("原工作单位"), max_length=100, blank=True)
    former_rank = models.CharField(_("原职务/警衔"), max_length=50, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=20, blank=True)
    health = models.CharField(_("健康状况"), max_length=50, blank=True)
    skills = models.CharField(_("特长"), max_length=200, blank=True)
    position = models.CharField(_("站内职务"), max_length=10, choices=Position.choices, default=Position.MEMBER)
    joined_on = models.DateField(_("入列日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    left_reason = models.CharField(_("退出原因"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE)
    transferred_from = models.ForeignKey(
        "self", verbose_name=_("调入前记录"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "workstation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["workstation", "name", "pk"]
        constraints = [
            # GB 11643 number, when given, is current in one station only (DOMAIN §2; issue: transfers).
            models.UniqueConstraint(
                fields=["id_hash"],
                condition=Q(status__in=["active", "paused"]) & ~Q(id_hash=""),
                name="volunteer_current_once",
            ),
            FieldCheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="volunteer_left_after_joined",
                field="left_on",
                violation_error_message=_("退出日期不能早于入列日期"),
            ),
            FieldCheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(birth_date__lt=F("joined_on")),
                name="volunteer_born_before_joining",
                field="joined_on",
                violation_error_message=_("入列日期须晚于出生日期"),
            ),
        ]
        indexes = [
            models.Index(fields=["workstation", "status"], name="volunteer_station_status"),
            # covers the staffing check's GROUP BY over a unit's current members (an index-only scan)
            models.Index(fields=["workstation", "status", "position", "member_type"], name="volunteer_staffing"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES


class VolunteerRole(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("站内角色"), max_length=20, choices=StationRole.choices)

    scope_field = "volunteer__workstation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("志愿者角色")
        constraints = [models.UniqueConstraint(fields=["volunteer", "role"], name="uniq_volunteer_role")]

    def __str__(self):
        return self.get_role_display()


class ServiceKind(models.TextChoices):
    VISIT = "visit", _("走访帮教")
    LECTURE = "lecture", _("法治宣讲")
    PATROL = "patrol", _("巡逻/护学")
    MEDIATION = "mediation", _("矛盾调解")
    TRAINING = "training", _("学习培训")
    MEETING = "meeting", _("会议")
    RELIEF = "relief", _("扶贫济困")
    COUNSELLING = "counselling", _("心理疏导")
    OTHER = "other", _("其他")


class ServiceLog(models.Model):
    """The one ledger of service hours. Activities and visits add to it through `service_log_sync`;
    `source` is a generic reference so this app never imports the apps above it."""

    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="service")
    served_on = models.DateField(_("服务日期"))
    hours = models.DecimalField(_("时长（小时）"), max_digits=5, decimal_places=1)
    kind = models.CharField(_("服务类型"), max_length=20, choices=ServiceKind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "volunteer__workstation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("服务记录")
        ordering = ["-served_on", "-pk"]
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="servicelog_source"),
            models.Index(fields=["volunteer", "served_on"], name="servicelog_volunteer_day"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="servicelog_hours_range"),
        ]

    def __str__(self):
        return f"{self.volunteer} {self.served_on} {self.hours} 小时"


class Training(models.Model):
    """A training session of a station; attendees are its volunteers (counted as sessions and person-times)."""

    workstation = models.ForeignKey(
        Workstation, verbose_name=_("所属工作站"), on_delete=models.PROTECT, related_name="volunteer_trainings"
    )
    title = models.CharField(_("培训主题"), max_length=100)
    held_on = models.DateField(_("培训日期"))
    organiser = models.CharField(_("组织单位"), max_length=100)
    hours = models.DecimalField(_("学时（小时）"), max_digits=5, decimal_places=1)
    certificate = models.FileField(_("证书/签到表"), upload_to="volunteers/trainings/%Y/", blank=True)
    attendees = models.ManyToManyField(Volunteer, verbose_name=_("参训人员"), related_name="trainings", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "workstation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["workstation", "held_on"], name="training_station_day"),
            models.Index(fields=["held_on", "id"], name="training_day"),  # the list's order, newest first
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=200), name="training_hours_range"),
        ]

    def __str__(self):
        return f"{self.held_on} {self.title}"
