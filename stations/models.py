"""The spine: the org tree, workstations, users with roles and scope, and the append-only audit log."""

import hashlib
import json

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# OrgKind and Role live in choices.py (no model imports), so roles.py never imports this module.
from .choices import OrgKind, Role
from .roles import (
    has_capability,
    has_role,
    is_administrator_role,
    is_station_role,
    org_kind_of_role,
)
from .scope_guard import ScopedManager

PATH_SEPARATOR = "."


def subtree_q(field: str, path: str) -> Q:
    """Rows whose materialized path `field` is `path` or lies below it (one indexed prefix filter)."""
    return Q(**{field: path}) | Q(**{f"{field}__startswith": path + PATH_SEPARATOR})


class OrgUnit(models.Model):
    """A level of the public-security committee tree: province → city → county."""

    kind = models.CharField(_("层级"), max_length=16, choices=OrgKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("代码"), max_length=20, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("路径"), max_length=255, blank=True, db_index=True, editable=False)

    scope_field = "path"

    class Meta:
        verbose_name = _("组织机构")
        verbose_name_plural = _("组织机构")
        ordering = ["path"]
        indexes = [models.Index(fields=["path"], name="orgunit_path_like", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        path = f"{self.parent.path}{PATH_SEPARATOR}{self.pk:04d}" if self.parent else f"{self.pk:04d}"
        if path != self.path:
            self.path = path
            OrgUnit.objects.filter(pk=self.pk).update(path=path)

    def clean(self):
        expected_parent = {
            OrgKind.PROVINCE: None,
            OrgKind.CITY: OrgKind.PROVINCE,
            OrgKind.COUNTY: OrgKind.CITY,
            OrgKind.SYSTEM: OrgKind.PROVINCE,
        }.get(self.kind)
        parent_kind = self.parent.kind if self.parent else None
        if parent_kind != expected_parent and not (self.kind == OrgKind.COUNTY and parent_kind == OrgKind.SYSTEM):
            raise ValidationError({"parent": _("上级层级不正确")})

    def ancestor(self, kind: str):
        unit = self
        while unit is not None and unit.kind != kind:
            unit = unit.parent
        return unit


class StationStatus(models.TextChoices):
    ACTIVE = "active", _("已建")
    EXEMPT = "exempt", _("不建")
    DEFERRED = "deferred", _("缓建")
    MERGED = "merged", _("已合并")
    CLOSED = "closed", _("已撤销")


class OfficeLocation(models.TextChoices):
    STATION = "station", _("设在派出所")
    COMMUNITY = "community", _("设在社区")


class PartnerType(models.TextChoices):
    ENTERPRISE = "enterprise", _("站企共建")
    SCHOOL = "school", _("站校共建")
    COMMUNITY = "community", _("站区共建")
    OTHER = "other", _("其他")


class WorkSystem(models.TextChoices):
    """The six working systems (六项制度) of seed 000."""

    THEORY_STUDY = "theory_study", _("理论学习")
    TRAINING = "training", _("业务培训")
    JOINT_MEETING = "joint_meeting", _("联席会议")
    LEGAL_EDUCATION = "legal_education", _("法治教育")
    MENTORING = "mentoring", _("结对帮教")
    RELIEF = "relief", _("扶贫济困")


class Workstation(models.Model):
    """One care workstation (关爱工作站) per police station (派出所)."""

    code = models.CharField(_("编号"), max_length=20, unique=True)
    name = models.CharField(_("工作站名称"), max_length=100)
    police_station = models.CharField(_("所属派出所"), max_length=100)
    county = models.ForeignKey(
        OrgUnit,
        verbose_name=_("所属县/区/分局"),
        on_delete=models.PROTECT,
        related_name="workstations",
        limit_choices_to={"kind": OrgKind.COUNTY},
    )
    org_path = models.CharField(_("机构路径"), max_length=255, db_index=True, editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=StationStatus.choices, default=StationStatus.ACTIVE)
    # Exempt / deferred need the upper bureau's consent (seed 000); merged/closed keep the date.
    approving_unit = models.CharField(_("批准单位"), max_length=100, blank=True)
    approval_doc_no = models.CharField(_("批准文号"), max_length=60, blank=True)
    approval_date = models.DateField(_("批准日期"), null=True, blank=True)
    status_reason = models.CharField(_("原因说明"), max_length=300, blank=True)
    review_on = models.DateField(_("缓建复核日期"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("并入工作站"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)

    head_name = models.CharField(_("站长（教导员）"), max_length=50, blank=True)
    deputy_name = models.CharField(_("副站长（退休民警）"), max_length=50, blank=True)
    office_location = models.CharField(
        _("办公场所"), max_length=16, choices=OfficeLocation.choices, default=OfficeLocation.STATION
    )
    office_address = models.CharField(_("办公地址"), max_length=200, blank=True)
    partner_name = models.CharField(_("共建单位"), max_length=100, blank=True)
    partner_type = models.CharField(_("共建类型"), max_length=16, choices=PartnerType.choices, blank=True)
    partner_since = models.DateField(_("共建起始日期"), null=True, blank=True)
    established_on = models.DateField(_("建站日期"), null=True, blank=True)
    logo_hung = models.BooleanField(_("已悬挂统一标识"), default=False)
    logo_photo = models.ImageField(_("统一标识照片"), upload_to="stations/logos/%Y/", blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = ""  # the workstation itself
    objects = ScopedManager()

    class Meta:
        verbose_name = _("关爱工作站")
        verbose_name_plural = _("关爱工作站")
        ordering = ["org_path", "code"]
        indexes = [
            models.Index(fields=["org_path"], name="ws_orgpath_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["status"], name="ws_status"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.org_path = self.county.path
        super().save(*args, **kwargs)

    def clean(self):
        if self.county_id and self.county.kind != OrgKind.COUNTY:
            raise ValidationError({"county": _("工作站只能建在县级单位下")})
        if self.status in (StationStatus.EXEMPT, StationStatus.DEFERRED):
            errors = {}
            for field in ("approving_unit", "approval_doc_no", "approval_date"):
                if not getattr(self, field):
                    errors[field] = _("不建或缓建须经上级批准，请填写此项")
            if errors:
                raise ValidationError(errors)
        if self.status == StationStatus.MERGED and not self.merged_into_id:
            raise ValidationError({"merged_into": _("请选择并入的工作站")})
        if self.merged_into_id and self.merged_into_id == self.pk:
            raise ValidationError({"merged_into": _("不能并入自身")})

    @property
    def counts_for_coverage(self) -> bool:
        """Exempt, deferred, merged and closed stations are left out of coverage denominators."""
        return self.status == StationStatus.ACTIVE


class WorkstationNameHistory(models.Model):
    """Former names, so a renamed station still shows who it was in reports and history."""

    workstation = models.ForeignKey(Workstation, on_delete=models.CASCADE, related_name="name_history")
    name = models.CharField(_("原名称"), max_length=100)
    valid_until = models.DateField(_("使用至"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    scope_field = "workstation"
    objects = ScopedManager()

    class Meta:
        ordering = ["-valid_until", "-pk"]
        verbose_name = _("名称变更记录")

    def __str__(self):
        return f"{self.name}（至 {self.valid_until:%Y-%m-%d}）"


def documents_complete_ids():
    """Ids of the stations that have a document on file for each of the six systems (a subquery)."""
    return (
        SystemDocument.objects.unscoped("aggregate_figure")
        .filter(document__gt="")
        .values("workstation_id")
        .annotate(systems=models.Count("system", distinct=True))
        .filter(systems__gte=len(WorkSystem.values))
        .values("workstation_id")
    )


class SystemDocument(models.Model):
    """A workstation's rule document for one of the six systems, uploaded or marked missing."""

    workstation = models.ForeignKey(Workstation, on_delete=models.CASCADE, related_name="system_documents")
    system = models.CharField(_("制度"), max_length=20, choices=WorkSystem.choices)
    document = models.FileField(_("制度文件"), upload_to="stations/systems/%Y/", blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "workstation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("制度文件")
        constraints = [models.UniqueConstraint(fields=["workstation", "system"], name="uniq_system_document")]

    def __str__(self):
        return f"{self.workstation} / {self.get_system_display()}"

    @property
    def on_file(self) -> bool:
        return bool(self.document)


class Funding(models.Model):
    """Funds and subsidies a workstation received in a year (`funding_yuan` per year, DOMAIN §3)."""

    workstation = models.ForeignKey(Workstation, on_delete=models.CASCADE, related_name="fundings")
    year = models.PositiveSmallIntegerField(_("年度"))
    amount_yuan = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    source = models.CharField(_("来源"), max_length=100, blank=True)

    scope_field = "workstation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("经费")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_yuan__gte=0), name="funding_non_negative"),
        ]

    def __str__(self):
        from stations.templatetags.numbers import yuan

        return f"{self.workstation} {self.year} {yuan(self.amount_yuan)}"


class CaseInsensitiveUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)


class User(AbstractUser):
    """An account: its role says what it may do, its org unit or workstation says where."""

    # Blank for a new account until the security administrator assigns a role (it then opens nothing).
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    workstation = models.ForeignKey(
        Workstation, verbose_name=_("所属工作站"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # Set when an administrator sets the password (a one-time password): sign-in is refused after it.
    one_time_password_until = models.DateTimeField(_("一次性密码有效期至"), null=True, blank=True)
    # Changes made by others (role, scope, password) after this time are shown at the next sign-in.
    notices_seen_at = models.DateTimeField(_("变更提示查看时间"), null=True, blank=True)
    # Unread notifications, kept by stations.notifications.services (recounted on every change), so the
    # navbar badge costs no query: the user row is loaded for every request anyway.
    unread_notifications = models.PositiveIntegerField(_("未读通知数"), default=0, editable=False)

    objects = CaseInsensitiveUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [models.UniqueConstraint(Lower("username"), name="username_unique_ci")]

    def clean(self):
        super().clean()
        if self.username and User.objects.filter(username__iexact=self.username).exclude(pk=self.pk).exists():
            raise ValidationError({"username": _("该用户名已存在（不区分大小写）")})
        if is_station_role(self.role):
            if not self.workstation_id:
                raise ValidationError({"workstation": _("站内角色必须指定所属工作站")})
            self.org_unit = None
        elif org_kind_of_role(self.role):
            if not self.org_unit_id or self.org_unit.kind != org_kind_of_role(self.role):
                raise ValidationError({"org_unit": _("所属机构与角色层级不符")})
            self.workstation = None
        elif is_administrator_role(self.role):
            self.org_unit = None
            self.workstation = None

    def has_cap(self, capability: str) -> bool:
        return has_capability(self, capability)

    def get_full_name(self) -> str:
        """A Chinese name: family name first, no space (王建国, not Django's "建国 王")."""
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def scope_label(self) -> str:
        if not has_role(self):
            return str(_("未分配角色"))
        if self.workstation_id:
            return self.workstation.name
        if self.org_unit_id:
            return self.org_unit.name
        return str(_("全系统"))


class PasswordHistory(models.Model):
    """Hashes of a user's previous passwords (AUTH-2: not one of the last 5)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class AuditResult(models.TextChoices):
    OK = "ok", _("成功")
    DENIED = "denied", _("拒绝")
    FAILED = "failed", _("失败")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("audit entries are append-only")

    def delete(self):
        raise PermissionError("audit entries are append-only")


class AuditEntry(models.Model):
    """One append-only record of who did what (AUD-1..3). Each entry chains the previous one's hash."""

    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL, db_constraint=False
    )
    actor_username = models.CharField(_("用户名"), max_length=150, blank=True)
    role = models.CharField(_("角色"), max_length=20, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    workstation_id_ref = models.BigIntegerField(_("工作站编号"), null=True, blank=True)
    org_path = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    result = models.CharField(_("结果"), max_length=10, choices=AuditResult.choices, default=AuditResult.OK)
    reason = models.CharField(_("事由"), max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self):
        return f"{_('审计记录')} #{self.pk}（{self.created_at:%Y-%m-%d %H:%M} {self.actor_username}）"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries are append-only")

    def canonical(self) -> str:
        return json.dumps(
            {
                "created_at": self.created_at.isoformat(),
                "actor": self.actor_username,
                "role": self.role,
                "ip": self.ip,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "object_repr": self.object_repr,
                "workstation": self.workstation_id_ref,
                "changes": self.changes,
                "result": self.result,
                "reason": self.reason,
            },
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + self.canonical()).encode()).hexdigest()


class PeriodLock(models.Model):
    """A station's year, locked when its head submits the annual checklist (DESIGN §6).

    Records dated in a locked year cannot be created or changed until the county reopens it.
    """

    workstation = models.ForeignKey(Workstation, on_delete=models.CASCADE, related_name="period_locks")
    year = models.PositiveSmallIntegerField(_("年度"))
    is_locked = models.BooleanField(_("已锁定"), default=True)
    locked_at = models.DateTimeField(_("锁定时间"), default=timezone.now)
    locked_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reopened_at = models.DateTimeField(_("重新开放时间"), null=True, blank=True)
    reopened_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reopen_reason = models.CharField(_("重新开放原因"), max_length=300, blank=True)

    scope_field = "workstation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("年度锁定")
        constraints = [models.UniqueConstraint(fields=["workstation", "year"], name="uniq_period_lock")]

    def __str__(self):
        return f"{self.workstation} {self.year}"


# --- reports: background export jobs, report snapshots, station highlights ---------------------


class ExportJobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ExportJob(models.Model):
    """A report built in the background (DESIGN §8): state, progress and the finished file.

    Only the requester sees a job; the file lives under MEDIA_ROOT and is served by a checked view.
    """

    report = models.CharField(_("报表"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    requested_by = models.ForeignKey(User, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="+")
    scope_label = models.CharField(_("数据范围"), max_length=100, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=ExportJobState.choices, default=ExportJobState.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    file = models.FileField(_("文件"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="exportjob_owner")]

    def __str__(self):
        return f"{self.title}（{self.get_state_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.state in (ExportJobState.DONE, ExportJobState.FAILED)

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class ReportSnapshot(models.Model):
    """The figures printed in a submitted station annual report; re-printing the year uses them (DESIGN §6)."""

    workstation = models.ForeignKey(Workstation, on_delete=models.CASCADE, related_name="report_snapshots")
    year = models.PositiveSmallIntegerField(_("年度"))
    # [{"key", "label", "unit", "group", "value"}] in print order
    figures = models.JSONField(_("数据"), default=list)
    # the month chart's values (activities per month), printed with the figures
    months = models.JSONField(_("月度数据"), default=list, blank=True)
    highlights = models.TextField(_("工作亮点"), blank=True)
    submitted_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    scope_field = "workstation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("年度报告快照")
        verbose_name_plural = _("年度报告快照")
        constraints = [models.UniqueConstraint(fields=["workstation", "year"], name="uniq_report_snapshot")]

    def __str__(self):
        return f"{self.workstation} {self.year}"


class StationYearHighlight(models.Model):
    """What the station itself wants to say about its year (工作亮点), printed in the annual report."""

    workstation = models.ForeignKey(Workstation, on_delete=models.CASCADE, related_name="year_highlights")
    year = models.PositiveSmallIntegerField(_("年度"))
    text = models.TextField(_("工作亮点"), max_length=4000)
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "workstation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("年度工作亮点")
        verbose_name_plural = _("年度工作亮点")
        constraints = [models.UniqueConstraint(fields=["workstation", "year"], name="uniq_year_highlight")]

    def __str__(self):
        return f"{self.workstation} {self.year}"


class ImportMapping(models.Model):
    """Which column of a station's own spreadsheet holds which field, remembered for its next import of
    the same kind (issue 16): header text as it stands in the file → field key ("" = not imported)."""

    workstation = models.ForeignKey(Workstation, on_delete=models.CASCADE, related_name="import_mappings")
    kind = models.CharField(_("导入类型"), max_length=40)
    columns = models.JSONField(_("列对应"), default=dict)
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "workstation"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("导入列对应")
        verbose_name_plural = _("导入列对应")
        constraints = [models.UniqueConstraint(fields=["workstation", "kind"], name="uniq_import_mapping")]

    def __str__(self):
        return f"{self.workstation} {self.kind}"


class NotificationKind(models.TextChoices):
    ASSIGNMENT = "assignment", _("分派")
    RETURNED = "returned", _("整改退回")
    APPROVAL = "approval", _("待审批")
    DUE = "due", _("到期提醒")
    REOPENED = "reopened", _("台账重新开放")


class Notification(models.Model):
    """A message to one user about something to do, with a link to it (stations.notifications).

    It belongs to its recipient, not to a workstation: every read filters by recipient. The text never
    holds a minor's full name (case number and masked name only), so a stored row leaks nothing even
    if the recipient later loses the right to see the case; the link is checked again when opened.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=NotificationKind.choices)
    text = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    # Idempotency key of a reminder (e.g. "due:contact:12:2026-12-04"): one notification per item per user.
    key = models.CharField(_("去重键"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""), name="notification_unique_key")
        ]

    def __str__(self):
        return self.text


class FigureChange(models.Model):
    """One committed change to data that figures read (stations.figure_cache): the highest id is the
    generation of the figure data. Insert-only, so concurrent writers never wait on each other; old rows
    are pruned as new ones come."""

    id = models.BigAutoField(primary_key=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("统计数据变更")
        verbose_name_plural = _("统计数据变更")

    def __str__(self):
        return str(self.pk)


class FigureSnapshot(models.Model):
    """Figures of a unit above the county kept between requests (stations.figure_cache): valid while the
    generation it was computed at is still the newest; shown with its time when older."""

    key = models.CharField(_("键"), max_length=200, unique=True)
    generation = models.BigIntegerField(_("数据代次"))
    computed_at = models.DateTimeField(_("计算时间"))
    seconds = models.FloatField(_("计算耗时（秒）"), default=0)
    data = models.BinaryField(_("数据"))
    # When a refresh was last queued: one refresh at a time per snapshot.
    refresh_queued_at = models.DateTimeField(_("更新排队时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("统计快照")
        verbose_name_plural = _("统计快照")

    def __str__(self):
        return self.key
