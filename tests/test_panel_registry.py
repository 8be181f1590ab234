"""One way to add home and workstation panels: dotted paths on the AppConfig into the app's panels.py."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.module_loading import import_string

PROJECT = ("stations", "volunteers", "mentoring", "activities", "inspections")


def declarations():
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in PROJECT:
            continue
        for kind in ("home_panels", "station_panels"):
            for path in getattr(config, kind, ()):
                yield config, kind, path


def test_every_panel_is_a_dotted_path_into_its_apps_panels_module():
    found = list(declarations())
    assert len(found) >= 9, "the search found too few panels"
    for config, kind, path in found:
        assert isinstance(path, str), f"{config.name}.{kind}: {path!r} is not a dotted path"
        assert path.startswith(f"{config.name}.panels."), f"{config.name}.{kind}: {path} is outside its panels.py"
        assert callable(import_string(path)), path


@pytest.mark.django_db
def test_the_workstation_page_shows_each_apps_panel_in_navigation_order(world, client_as):
    page = client_as(world.user("head")).get(reverse("stations:workstation-detail", args=[world.a.station.pk]))
    html = page.content.decode()
    order = [
        'data-testid="staffing-check"',
        'data-testid="mentoring-station-panel"',
        'data-testid="activity-panel"',
        'data-testid="annual-report-panel"',
    ]
    positions = [html.find(marker) for marker in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions)  # volunteers 10, mentoring 20, activities 30, reports (no nav entry) last


@pytest.mark.django_db
def test_the_home_page_shows_the_apps_panels(world, client_as):
    html = client_as(world.user("head")).get(reverse("stations:home")).content.decode()
    assert 'data-testid="activities-home"' in html and 'data-testid="inspections-panel"' in html
