"""The one literal table of what each role may do (SECURITY AC-3). No role checks anywhere else.

Scope (which station or subtree) is a separate question, answered by `stations.scoping`.
"""

from django.core.exceptions import PermissionDenied

from .models import Role

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
    Role.SYSTEM_ADMIN: frozenset({"accounts.manage", "reference.manage", "stations.view_reference"}),
    Role.SECURITY_ADMIN: frozenset({"security.manage", "security.unlock"}),
    Role.AUDIT_ADMIN: frozenset({"audit.view", "audit.export"}),
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
