"""Guardians' phones in the one stored form of `stations.phones` (see stations 0007)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from importlib import import_module

    normalise = import_module("stations.migrations.0007_phones_normalised").normalise
    normalise(apps.get_model("mentoring", "Guardian"), "phone")


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0003_dates_in_order_and_visit_hours"),
        ("stations", "0007_phones_normalised"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
