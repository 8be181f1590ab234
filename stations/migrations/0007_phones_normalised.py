"""Phones typed before the phonenumbers validator may lack the area-code hyphen (045182345678) or hold
spaces: rewrite them in the one stored form; a value the validator refuses is left as it is."""

from django.core.exceptions import ValidationError
from django.db import migrations


def normalise(model, field):
    from stations.phones import normalise_phone

    for pk, value in model.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
        try:
            clean = normalise_phone(value)
        except ValidationError:
            continue
        if clean != value:
            model.objects.filter(pk=pk).update(**{field: clean})


def forwards(apps, schema_editor):
    normalise(apps.get_model("stations", "Workstation"), "phone")
    normalise(apps.get_model("stations", "User"), "phone")


class Migration(migrations.Migration):
    dependencies = [("stations", "0006_user_one_time_password_and_notices")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
