"""Access-matrix entries of reports, dashboards and export jobs (collected by tests/test_access_matrix.py)."""

from tests.access import STATION, SUPERVISORS, Entry

PROV = frozenset({"prov"})


def finished_job(side):
    """A finished province summary job of the side's province officer (side z gets one made up)."""
    from django.core.files.base import ContentFile

    from stations.models import ExportJob, ExportJobState, Role
    from stations.tests.factories import UserFactory

    owner = side.users.get("prov") or UserFactory(role=Role.PROVINCE_OFFICER, org_unit=side.province)
    job = ExportJob.objects.create(
        report="province-summary",
        title="汇总表",
        params={"year": "2025"},
        requested_by=owner,
        state=ExportJobState.DONE,
        progress=100,
        filename="summary.xlsx",
        content_type="application/octet-stream",
    )
    job.file.save("summary.xlsx", ContentFile(b"PK test"), save=True)
    return job


def station(side):
    return side.station


def county(side):
    return side.county


def annual(obj):
    return {"pk": obj.pk, "year": 2025}


ENTRIES = {
    "reports:dashboard": Entry(
        allowed=SUPERVISORS,
        target=county,
        kwargs=lambda obj: {},
        query=lambda obj: f"?org={obj.pk}",
        level="county",
    ),
    "reports:overview": Entry(
        allowed=SUPERVISORS,
        target=county,
        kwargs=lambda obj: {},
        query=lambda obj: f"?org={obj.pk}",
        level="county",
    ),
    "reports:job-list": Entry(allowed=SUPERVISORS),
    "reports:corrections": Entry(
        allowed=SUPERVISORS,
        target=county,
        kwargs=lambda obj: {},
        query=lambda obj: f"?org={obj.pk}&year=2025",
        level="county",
    ),
    "reports:job-start": Entry(
        allowed=PROV,
        kwargs=lambda obj: {"slug": "province-summary"},
        target=lambda side: side.province,
        method="post",
        data=lambda obj: {"year": "2025", "org": obj.pk},
        ok=302,
        level="province",
    ),
    # A job is its requester's own: another user's job is a 404 even inside the province.
    "reports:job-detail": Entry(allowed=PROV, target=finished_job, level="own"),
    "reports:job-progress": Entry(allowed=PROV, target=finished_job, level="own"),
    "reports:job-download": Entry(allowed=PROV, target=finished_job, level="own"),
    "reports:station-annual": Entry(allowed=STATION | SUPERVISORS, target=station, kwargs=annual),
    "reports:highlight-save": Entry(
        allowed=STATION, target=station, kwargs=annual, method="post", data=lambda obj: {"text": "亮点"}, ok=302
    ),
    "reports:snapshot-diff": Entry(allowed=SUPERVISORS, target=station, kwargs=annual),
}
