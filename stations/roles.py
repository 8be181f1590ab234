"""The one literal table of what each role may do (SECURITY AC-3). No role checks anywhere else.

Scope (which station or subtree) is a separate question, answered by `stations.scoping`.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied

from .choices import OrgKind, Role

# Where a role works: at one workstation, or over one org unit of a given level (its scope).
STATION_ROLES = frozenset({Role.STATION_STAFF, Role.STATION_HEAD})
ORG_ROLE_KIND = {
    Role.COUNTY_OFFICER: OrgKind.COUNTY,
    Role.CITY_OFFICER: OrgKind.CITY,
    Role.PROVINCE_OFFICER: OrgKind.PROVINCE,
}
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
    "offline.use",  # queue quick entries on the phone while offline (stations.offline)
    "offline.station_pages",  # the phone keeps the station's quick-entry pages from any page
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
    "offline.use",  # offline scoring only: the phone keeps nothing until a scoring page is opened
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
        # jobs.monitor: the background jobs' health (failed and stuck exports: no file, no data)
        {
            "accounts.view",
            "accounts.manage",
            "reference.manage",
            "stations.view_reference",
            "admin.site",
            "jobs.monitor",
        }
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
    return is_administrator_role(getattr(user, "role", ""))


def is_administrator_role(role: str) -> bool:
    return role in ADMIN_ROLES


def is_station_role(role: str) -> bool:
    """Station staff and station head: their scope is one workstation (and those merged into it)."""
    return role in STATION_ROLES


def org_kind_of_role(role: str) -> str | None:
    """The org unit level (county, city, province) a supervising role is attached to, else None."""
    return ORG_ROLE_KIND.get(role)


def works_at_station(user) -> bool:
    """The user works inside one workstation (station staff or head) and has one assigned."""
    return is_station_role(getattr(user, "role", "")) and bool(getattr(user, "workstation_id", None))


def supervises_org_unit(user) -> bool:
    """The user supervises a county, city or province and has that unit assigned."""
    return org_kind_of_role(getattr(user, "role", "")) is not None and bool(getattr(user, "org_unit_id", None))


def supervises_units(user) -> bool:
    """The user supervises a province or a city: their home page shows units, not stations (issue 16 §2)."""
    return supervises_org_unit(user) and org_kind_of_role(user.role) in (OrgKind.PROVINCE, OrgKind.CITY)


def label_of_role(role: str) -> str:
    """The role's name as shown to people ("" for no role or an unknown value)."""
    return str(Role(role).label) if role in Role.values else ""


def holds_role(user, role: str) -> bool:
    """For the command line and the administrator reset, which name a role; views ask for capabilities."""
    return bool(role) and getattr(user, "role", "") == role


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


def roles_with(capability: str) -> frozenset[str]:
    """The roles whose table grants `capability` (to find who should be told of something to do)."""
    if capability not in ALL_CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    return frozenset(role for role, caps in CAPABILITIES.items() if capability in caps)
