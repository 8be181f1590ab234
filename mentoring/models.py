"""Mentored youth (帮教对象), guardians, mentor teams, visits, stage changes, closure, follow-up, sealing.

Privacy (DOMAIN §7, SECURITY DATA-1/2): the default manager hides sealed youth; only the one sealed
view and aggregate figures use `Youth.all_objects`. `__str__` never shows a full name.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from stations.constraints import FieldCheckConstraint
from stations.masking import mask_name
from stations.models import Workstation
from stations.scope_guard import ScopedManager
from volunteers.models import Volunteer


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Category(models.TextChoices):
    MISCONDUCT = "misconduct", _("不良行为")
    SERIOUS_MISCONDUCT = "serious_misconduct", _("严重不良行为")
    CRIME_UNPUNISHED = "crime_unpunished", _("涉罪未处罚/不起诉")
    COMMUNITY_CORRECTION = "community_correction", _("社区矫正")
    RELEASED = "released", _("刑满释放/归正")
    DRUG_INVOLVED = "drug_involved", _("涉毒")
    IDLE = "idle", _("闲散")
    RUNAWAY = "runaway", _("出走/夜间游荡")
    LISTED = "listed", _("列管重点未成年人")
    POOR = "poor", _("困境/贫困")
    LEFT_BEHIND = "left_behind", _("留守")


# The legal basis shown next to each category (DOMAIN §4).
LEGAL_BASIS_TEXT = {
    Category.MISCONDUCT: _("《预防未成年人犯罪法》第二十八条（不良行为）"),
    Category.SERIOUS_MISCONDUCT: _("《预防未成年人犯罪法》第三十八条（严重不良行为）"),
    Category.CRIME_UNPUNISHED: _("《刑法》第十七条；《刑事诉讼法》第一百七十七条、第二百八十二条"),
    Category.COMMUNITY_CORRECTION: _("《社区矫正法》第七章（未成年人社区矫正特别规定）"),
    Category.RELEASED: _("《预防未成年人犯罪法》第五十七条、第五十八条（安置帮教）"),
    Category.DRUG_INVOLVED: _("《禁毒法》第三十八条；《预防未成年人犯罪法》第三十八条第（七）项"),
    Category.IDLE: _("《预防未成年人犯罪法》第二十九条（辍学闲散）"),
    Category.RUNAWAY: _("《预防未成年人犯罪法》第二十八条第（三）项（夜不归宿、离家出走）"),
    Category.LISTED: _("《预防未成年人犯罪法》第二十八条、第三十八条（列管重点未成年人）"),
    Category.POOR: _("《未成年人保护法》第九十二条、第九十六条（困境未成年人关爱）"),
    Category.LEFT_BEHIND: _("《未成年人保护法》第二十二条、第九十二条（留守儿童关爱）"),
}


class Kind(models.TextChoices):
    MENTORING = "mentoring", _("帮教")
    CARE = "care", _("关爱帮扶")


class IntakeSource(models.TextChoices):
    CALL_110 = "call_110", _("110出走/夜间游荡警情")
    CASE_HANDLING = "case_handling", _("办案发现")
    LISTED_PUSH = "listed_push", _("列管推送")
    SCHOOL = "school", _("学校转介")
    GRID = "grid", _("社区/网格")
    FAMILY = "family", _("家庭求助")
    JUDICIAL_REFERRAL = "judicial_referral", _("司法转介")
    CORRECTION_AGENCY = "correction_agency", _("矫正机构")
    PATROL = "patrol", _("巡逻/本站发现")
    OTHER = "other", _("其他")


class SchoolStatus(models.TextChoices):
    PRIMARY = "primary", _("小学在读")
    JUNIOR = "junior", _("初中在读")
    SENIOR = "senior", _("高中/中职在读")
    DROPPED_OUT = "dropped_out", _("辍学")
    WORKING = "working", _("务工")
    IDLE = "idle", _("闲散在家")
    OTHER = "other", _("其他")


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class LegalBasis(models.TextChoices):
    STATUTORY_DUTY = "statutory_duty", _("法定职责（个人信息保护法第十三条第三项）")
    CONSENT = "consent", _("监护人同意")


class Stage(models.TextChoices):
    INTAKE = "intake", _("接收")
    ACTIVE = "active", _("帮教中")
    CLOSED = "closed", _("已结案")
    FOLLOWUP_DONE = "followup_done", _("回访完成")


# The only allowed stage changes (each done by a service that logs actor and reason).
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.INTAKE: frozenset({Stage.ACTIVE}),
    Stage.ACTIVE: frozenset({Stage.CLOSED}),
    Stage.CLOSED: frozenset({Stage.FOLLOWUP_DONE}),
    Stage.FOLLOWUP_DONE: frozenset(),
}
OPEN_STAGES = (Stage.INTAKE, Stage.ACTIVE)


class Outcome(models.TextChoices):
    COMPLETED = "completed", _("顺利结案")
    BACK_TO_SCHOOL = "back_to_school", _("复学")
    EMPLOYED = "employed", _("就业")
    FURTHER_STUDY = "further_study", _("升学")
    TRANSFERRED = "transferred", _("迁出转介")
    REOFFENDED_ADMIN = "reoffended_admin", _("重新违法")
    REOFFENDED_CRIMINAL = "reoffended_criminal", _("重新犯罪")
    LOST_CONTACT = "lost_contact", _("失联")
    AGED_OUT = "aged_out", _("成年转出")
    OTHER = "other", _("其他")


class VisibleYouthManager(ScopedManager):
    """Sealed youth (封存) are absent from every ordinary read (DATA-2)."""

    def get_queryset(self):
        return super().get_queryset().filter(is_sealed=False)


class Youth(models.Model):
    workstation = models.ForeignKey(
        Workstation, verbose_name=_("所属工作站"), on_delete=models.PROTECT, related_name="youth"
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    school_status = models.CharField(_("就学就业情况"), max_length=20, choices=SchoolStatus.choices)
    home_area = models.CharField(_("居住区域"), max_length=100, blank=True, help_text=_("写到社区/村即可"))
    # Several categories, stored as ",code,code," so one LIKE filter works on SQLite and PostgreSQL.
    categories = models.CharField(_("类别"), max_length=300, blank=True)
    kind = models.CharField(_("对象类型"), max_length=10, choices=Kind.choices, default=Kind.MENTORING)
    is_listed = models.BooleanField(_("列管"), default=False)
    intake_source = models.CharField(_("来源"), max_length=20, choices=IntakeSource.choices)
    intake_on = models.DateField(_("接收日期"))
    intake_reference = models.CharField(_("来源编号/文书号"), max_length=60, blank=True)
    risk_level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices)
    risk_assessed_on = models.DateField(_("评估日期"))
    legal_basis = models.CharField(
        _("处理依据"), max_length=20, choices=LegalBasis.choices, default=LegalBasis.STATUTORY_DUTY
    )
    consent_by = models.CharField(_("同意人"), max_length=50, blank=True)
    consent_relation = models.CharField(_("与本人关系"), max_length=20, blank=True)
    consent_on = models.DateField(_("同意日期"), null=True, blank=True)
    consent_scope = models.CharField(_("同意范围"), max_length=200, blank=True)
    consent_withdrawn_on = models.DateField(_("撤回同意日期"), null=True, blank=True)
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.INTAKE)
    outcome = models.CharField(_("结案结果"), max_length=30, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("结案说明"), max_length=300, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    # A staff member proposes a closure; the station head approves it (DOMAIN §4).
    proposed_outcome = models.CharField(_("拟结案结果"), max_length=30, choices=Outcome.choices, blank=True)
    proposed_closed_on = models.DateField(_("拟结案日期"), null=True, blank=True)
    proposed_note = models.CharField(_("拟结案说明"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Computed by the visit service (never typed): the latest contact, or the intake date.
    last_contact_on = models.DateField(_("最近联系"), null=True, blank=True, editable=False)
    is_sealed = models.BooleanField(_("已封存"), default=False, db_index=True)
    sealed_on = models.DateField(_("封存日期"), null=True, blank=True)
    seal_ground = models.CharField(_("封存依据"), max_length=300, blank=True)
    unseal_requested_on = models.DateField(_("申请解封日期"), null=True, blank=True)
    unseal_ground = models.CharField(_("解封依据"), max_length=300, blank=True)
    # DATA-5: closed cases are anonymised CASE_RETENTION_YEARS after the last follow-up (counts stay)
    anonymised_on = models.DateField(_("匿名化日期"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "workstation"
    # A minor's personal data: how it may appear in the audit log (stations.audit; DATA-1, DATA-2).
    personal_fields = {
        "name": "name",
        "birth_date": "year",
        "id_number": "id",
        "id_hash": "withheld",
        "home_area": "area",
        "consent_by": "name",
    }
    sealed_lookup = "is_sealed"

    objects = VisibleYouthManager()
    all_objects = ScopedManager()  # sealed view and aggregate figures only

    class Meta:
        verbose_name = _("帮教对象")
        verbose_name_plural = _("帮教对象")
        ordering = ["-intake_on", "-pk"]
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["workstation", "stage"], name="youth_station_stage")]
        # dates in order on one row; "not in the future" and "closure ≥ last visit" are in the services
        constraints = [
            FieldCheckConstraint(
                condition=Q(birth_date__lte=F("intake_on")),
                name="youth_born_before_intake",
                field="birth_date",
                violation_error_message=_("出生日期不能晚于接收日期"),
            ),
            FieldCheckConstraint(
                condition=Q(risk_assessed_on__gte=F("intake_on")),
                name="youth_assessed_after_intake",
                field="risk_assessed_on",
                violation_error_message=_("评估日期不能早于接收日期"),
            ),
            FieldCheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("intake_on")),
                name="youth_closed_after_intake",
                field="closed_on",
                violation_error_message=_("结案日期不能早于接收日期"),
            ),
            FieldCheckConstraint(
                condition=Q(proposed_closed_on__isnull=True) | Q(proposed_closed_on__gte=F("intake_on")),
                name="youth_proposed_close_after_intake",
                field="proposed_closed_on",
                violation_error_message=_("结案日期不能早于接收日期"),
            ),
            FieldCheckConstraint(
                condition=Q(consent_withdrawn_on__isnull=True)
                | Q(consent_on__isnull=False, consent_withdrawn_on__gte=F("consent_on")),
                name="youth_consent_withdrawn_after_given",
                field="consent_withdrawn_on",
                violation_error_message=_("撤回同意日期不能早于同意日期"),
            ),
        ]

    def __str__(self):
        # Never the full name: this string reaches error pages and choice lists (the audit log uses the id).
        return f"{_('帮教对象')}#{self.pk} {mask_name(self.name)}"

    @property
    def category_list(self) -> list[str]:
        return [c for c in self.categories.split(",") if c]

    def category_labels(self):
        labels = dict(Category.choices)
        return [(labels.get(c, c), LEGAL_BASIS_TEXT.get(c, "")) for c in self.category_list]

    @property
    def needs_close_approval(self) -> bool:
        return bool(self.proposed_outcome) and self.stage == Stage.ACTIVE


class Guardian(models.Model):
    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="guardians")
    relation = models.CharField(_("关系"), max_length=20)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("电话"), max_length=20, blank=True)

    scope_field = "youth__workstation"
    objects = ScopedManager()
    personal_fields = {"name": "name", "phone": "phone"}
    sealed_lookup = "youth__is_sealed"

    class Meta:
        verbose_name = _("监护人")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.relation} {mask_name(self.name)}"


class TeamType(models.TextChoices):
    ONE_TO_ONE = "one_to_one", _("一帮一")
    MANY_TO_ONE = "many_to_one", _("多帮一")
    ONE_TO_MANY = "one_to_many", _("一帮多")


class MentorTeam(models.Model):
    workstation = models.ForeignKey(Workstation, on_delete=models.PROTECT, related_name="mentor_teams")
    team_type = models.CharField(_("结对形式"), max_length=20, choices=TeamType.choices)
    lead = models.ForeignKey(Volunteer, verbose_name=_("主帮教人"), on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField(Volunteer, verbose_name=_("帮教成员"), blank=True, related_name="+")
    youth = models.ManyToManyField(Youth, verbose_name=_("帮教对象"), related_name="teams")
    formed_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("解除日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "workstation"
    objects = ScopedManager()
    personal_fields = {}  # a minor's record: id and codes only in the audit log
    sealed_lookup = "youth__is_sealed"

    class Meta:
        verbose_name = _("帮教小组")
        ordering = ["-formed_on", "-pk"]
        constraints = [
            FieldCheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("formed_on")),
                name="team_ended_after_formed",
                field="ended_on",
                violation_error_message=_("解除日期不能早于结对日期"),
            ),
        ]

    def __str__(self):
        return f"{self.get_team_type_display()} #{self.pk}"


class VisitForm(models.TextChoices):
    IN_PERSON = "in_person", _("面谈")
    PHONE = "phone", _("电话")
    VIDEO = "video", _("视频")
    HOME = "home", _("家访")
    SCHOOL = "school", _("学校走访")


class Visit(models.Model):
    youth = models.ForeignKey(Youth, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("走访日期"))
    sequence = models.PositiveIntegerField(_("年度序号"), editable=False)
    place = models.CharField(_("地点"), max_length=100)
    form = models.CharField(_("方式"), max_length=20, choices=VisitForm.choices)
    participants = models.ManyToManyField(Volunteer, verbose_name=_("参与人员"), blank=True, related_name="+")
    hours = models.DecimalField(_("时长（小时）"), max_digits=4, decimal_places=1, default=1)
    guardian_present = models.BooleanField(_("监护人在场"), default=False)
    summary = models.TextField(_("帮教内容"), max_length=2000)
    situation = models.TextField(_("近期表现"), max_length=2000, blank=True)
    difficulties_solved = models.PositiveIntegerField(_("解决困难（件）"), default=0)
    next_steps = models.CharField(_("下一步"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "youth__workstation"
    objects = ScopedManager()
    personal_fields = {}
    sealed_lookup = "youth__is_sealed"

    class Meta:
        verbose_name = _("走访记录")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["youth", "visited_on", "sequence"], name="visit_unique_sequence"),
            FieldCheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="visit_hours_range",
                field="hours",
                violation_error_message=_("时长应大于 0 小时且不超过 24 小时"),
            ),
        ]
        indexes = [models.Index(fields=["youth", "visited_on"], name="visit_youth_day")]

    def __str__(self):
        return f"{self.visited_on:%Y}-{self.sequence}"


class StageChange(models.Model):
    """The case timeline: every stage change with its actor and reason (also in the audit log)."""

    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    on = models.DateField()
    reason = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "youth__workstation"
    objects = ScopedManager()
    personal_fields = {}
    sealed_lookup = "youth__is_sealed"

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.from_stage} → {self.to_stage}"


class FollowUp(models.Model):
    """Follow-up visits 6 and 12 months after closure (回访)."""

    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="followups")
    number = models.PositiveSmallIntegerField(_("回访次序"))  # 1 = 6 months, 2 = 12 months
    done_on = models.DateField(_("回访日期"))
    summary = models.CharField(_("回访情况"), max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope_field = "youth__workstation"
    objects = ScopedManager()
    personal_fields = {}
    sealed_lookup = "youth__is_sealed"

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["youth", "number"], name="followup_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="followup_number_positive"),
        ]

    def __str__(self):
        return f"{_('回访')} {self.number}"


class MilestoneKind(models.TextChoices):
    BACK_TO_SCHOOL = "back_to_school", _("复学")
    EMPLOYED = "employed", _("就业")
    FURTHER_STUDY = "further_study", _("升学")


class Milestone(models.Model):
    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("类型"), max_length=20, choices=MilestoneKind.choices)
    on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scope_field = "youth__workstation"
    objects = ScopedManager()
    personal_fields = {}
    sealed_lookup = "youth__is_sealed"

    class Meta:
        ordering = ["on"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on}"


class ReinvolvementKind(models.TextChoices):
    ADMIN = "admin", _("违法")
    CRIMINAL = "criminal", _("犯罪")


class Reinvolvement(models.Model):
    """A new offence record of a youth (重新违法/犯罪): the numerator of the re-offending rate."""

    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="reinvolvements")
    kind = models.CharField(_("类型"), max_length=10, choices=ReinvolvementKind.choices)
    on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scope_field = "youth__workstation"
    objects = ScopedManager()
    personal_fields = {}
    sealed_lookup = "youth__is_sealed"

    class Meta:
        ordering = ["on"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on}"


class CallKind(models.TextChoices):
    RUNAWAY = "runaway", _("出走失联")
    NIGHT_WANDERING = "night_wandering", _("夜间游荡")


class CallResult(models.TextChoices):
    NO_NEED = "no_need", _("无需帮教")
    CASE_OPENED = "case_opened", _("已立案帮教")
    UNREACHABLE = "unreachable", _("联系不上")


class PoliceCall(models.Model):
    """A 110 runaway / night-wandering call (reference only, no name) and its follow-up within 48 h."""

    workstation = models.ForeignKey(Workstation, on_delete=models.PROTECT, related_name="police_calls")
    kind = models.CharField(_("警情类型"), max_length=20, choices=CallKind.choices)
    called_at = models.DateTimeField(_("报警时间"))
    reference = models.CharField(_("警情编号"), max_length=60)
    youth = models.ForeignKey(
        Youth, verbose_name=_("帮教对象"), null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    followup_on = models.DateField(_("回访日期"), null=True, blank=True)
    followup_result = models.CharField(_("回访结果"), max_length=20, choices=CallResult.choices, blank=True)
    followup_note = models.CharField(_("回访说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "workstation"
    objects = ScopedManager()
    personal_fields = {}
    sealed_lookup = "youth__is_sealed"

    class Meta:
        verbose_name = _("110警情")
        ordering = ["-called_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"


class NightEncounter(models.Model):
    """A minor met wandering at night (夜间游荡). Identity is kept only as a lookup hash and the last four
    ID digits, enough to suggest a case after repeated encounters (DOMAIN §4: 3 in 90 days)."""

    workstation = models.ForeignKey(Workstation, on_delete=models.PROTECT, related_name="night_encounters")
    met_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=100)
    measures = models.CharField(_("处置措施"), max_length=300, help_text=_("如：供餐、抄写法条、观看警示片"))
    guardian_collected = models.BooleanField(_("监护人领回"), default=False)
    id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_last4 = models.CharField(_("身份证号后四位"), max_length=4, blank=True, editable=False)
    youth = models.ForeignKey(Youth, null=True, blank=True, on_delete=models.SET_NULL, related_name="encounters")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "workstation"
    objects = ScopedManager()
    personal_fields = {"id_hash": "withheld", "id_last4": "withheld"}
    sealed_lookup = "youth__is_sealed"

    class Meta:
        verbose_name = _("夜间游荡劝返")
        ordering = ["-met_at", "-pk"]

    def __str__(self):
        return f"{self.met_at:%Y-%m-%d} {self.place}"
