"""The one literal table of what each role may do (SECURITY AC-3). No role checks anywhere else.

Scope (which station or subtree) is a separate question, answered by `stations.scoping`.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of DESIGN §1 (`User.role`); `stations.models.Role` is this class."""

    STATION_STAFF = "station_staff", _("站内录入员")
    STATION_HEAD = "station_head", _("站长")
    COUNTY_OFFICER = "county_officer", _("县级关工委")
    CITY_OFFICER = "city_officer", _("市级关工委")
    PROVINCE_OFFICER = "province_officer", _("省关工委")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


# 三员分立 (AC-4): the three administrator roles. Nobody gives or takes them in the application; the
# `create_administrator` command makes these accounts at installation. An account holds one role.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# What the security administrator may assign: every other role (or none).
ASSIGNABLE_ROLES = tuple(role for role in Role if role not in ADMIN_ROLES)

# Capabilities, grouped by app. Later apps use the names reserved here.
STATION_READ = {
    "stations.view",  # see workstations in scope
    "stations.view_profile_files",  # download logo photos and system documents
    "stations.export_profile",  # workstation profile sheet PDF
}
STATION_EDIT = {
    "stations.edit_profile",  # edit a workstation's profile
    "records.edit",  # create/edit/archive the station's own records (volunteers, youth, activities…)
    "volunteers.view",
    "volunteers.edit",
    "volunteers.view_identity",  # full ID number and phone of a volunteer
    "volunteers.import",
    "volunteers.export",
    "mentoring.view",
    "mentoring.edit",
    "mentoring.view_identity",  # full name and ID of a minor of the own station
    "mentoring.export_named",  # named list of own station
    "activities.view",
    "activities.edit",
    "inspections.view",
    "inspections.answer",  # answer rectifications with evidence
    "checklist.fill",
}
STATION_HEAD_ONLY = {
    "mentoring.approve_close",
    "mentoring.seal",
    "mentoring.view_sealed",  # with a reason, logged
    "checklist.submit",
}
SUPERVISOR_READ = {
    "stations.view",
    "stations.overview",  # counts of stations by status on the home page
    "stations.export_profile",
    "stations.export_roster",
    "volunteers.view",
    "volunteers.export",
    "mentoring.view_aggregate",
    "activities.view",
    "inspections.view",
    "reports.export_aggregate",  # aggregates and masked names
    "reports.dashboard",
}
COUNTY_ONLY = {
    "stations.manage",  # create workstations, change status, merge
    "stations.edit_profile",
    "stations.view_profile_files",
    "mentoring.view",  # masked lists
    "mentoring.view_identity_logged",  # full file with a reason, logged
    "mentoring.view_sealed",
    "mentoring.approve_unseal",
    "mentoring.export_named",  # with a reason
    "inspections.manage_round",
    "inspections.score",
    "inspections.verify",
    "checklist.review",
    "checklist.reopen",
    "award.nominate",
}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.STATION_STAFF: frozenset(STATION_READ | STATION_EDIT),
    Role.STATION_HEAD: frozenset(STATION_READ | STATION_EDIT | STATION_HEAD_ONLY),
    Role.COUNTY_OFFICER: frozenset(SUPERVISOR_READ | COUNTY_ONLY),
    Role.CITY_OFFICER: frozenset(SUPERVISOR_READ | {"award.review", "checklist.review"}),
    Role.PROVINCE_OFFICER: frozenset(SUPERVISOR_READ | {"reports.export_province", "award.decide", "checklist.review"}),
    # 三员分立 (AC-4): the three administrators share nothing and open no youth or volunteer record.
    # The system administrator creates accounts and sets one-time passwords; the security administrator
    # assigns roles and scopes; neither does the other's part. Django admin access is `admin.site`.
    Role.SYSTEM_ADMIN: frozenset(
        {"accounts.view", "accounts.manage", "reference.manage", "stations.view_reference", "admin.site"}
    ),
    Role.SECURITY_ADMIN: frozenset(
        {"accounts.view", "accounts.assign_role", "security.manage", "security.unlock", "stations.view_reference"}
    ),
    Role.AUDIT_ADMIN: frozenset({"audit.view", "audit.export", "admin.site"}),
}

ALL_CAPABILITIES = frozenset().union(*CAPABILITIES.values())


def has_capability(user, capability: str) -> bool:
    if capability not in ALL_CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return capability in CAPABILITIES.get(user.role, frozenset())


def require(user, capability: str) -> None:
    """Raise 403 unless the user's role has the capability."""
    if not has_capability(user, capability):
        raise PermissionDenied(capability)


def is_administrator(user) -> bool:
    """One of the three administrators (三员): their accounts are made and reset only on the command line."""
    return getattr(user, "role", "") in ADMIN_ROLES


def has_role(user) -> bool:
    """False for a new account the security administrator has not given a role yet (it opens nothing)."""
    return bool(getattr(user, "role", ""))


def requires_second_factor(user) -> bool:
    """AUTH-7: the three administrators, superusers and the roles listed in MFA_REQUIRED_ROLES."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_administrator(user) or user.role in set(settings.MFA_REQUIRED_ROLES) or user.is_superuser


def second_factor_roles() -> frozenset[str]:
    return ADMIN_ROLES | frozenset(settings.MFA_REQUIRED_ROLES)


def may_use_django_admin(user) -> bool:
    """Django admin is opened by a capability, never by `is_staff` (which no service sets)."""
    return has_capability(user, "admin.site")
