"""Query helpers the apps share (stations.subqueries)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentoring.models import Youth
from mentoring.tests.factories import YouthFactory
from stations.subqueries import with_station

pytestmark = pytest.mark.django_db


def test_with_station_fetches_what_a_row_shows_of_its_station_and_nothing_of_its_profile():
    YouthFactory.create_batch(2, workstation__office_address="测试路1号", workstation__partner_name="测试中学")
    with CaptureQueriesContext(connection) as queries:
        rows = list(with_station(Youth.objects.order_by("pk")))
        shown = [(s.name, s.code, s.county_id, s.org_path) for s in (y.workstation for y in rows)]
    assert len(queries) == 1
    assert [name for name, *_ in shown] == [y.workstation.name for y in Youth.objects.order_by("pk")]
    sql = queries[0]["sql"]
    assert '"stations_workstation"."name"' in sql
    assert "office_address" not in sql and "partner_name" not in sql and "approval_doc_no" not in sql
    # a page that does read the profile still gets it, one query later
    assert rows[0].workstation.office_address == "测试路1号"
