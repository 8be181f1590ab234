"""Data migration: the example checklist of DOMAIN §6 (the administrator edits or replaces it)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from inspections.example import create_example_template

    create_example_template(
        apps.get_model("inspections", "ChecklistTemplate"), apps.get_model("inspections", "TemplateItem"), year=2024
    )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
