"""The roster names a station's head and deputy; copy them onto the profiles once (issue 14 §1).

From here on every roster write refreshes the copy (volunteers.services.sync_station_officers)."""

from django.db import migrations

CURRENT = ("active", "paused")


def copy_officers(apps, schema_editor):
    Workstation = apps.get_model("stations", "Workstation")
    Volunteer = apps.get_model("volunteers", "Volunteer")
    names = {}
    rows = (
        Volunteer.objects.filter(status__in=CURRENT, position__in=["head", "deputy"])
        .order_by("joined_on", "pk")
        .values_list("workstation_id", "position", "name")
    )
    for station_id, position, name in rows:
        names.setdefault(station_id, {"head": [], "deputy": []})[position].append(name)
    for station in Workstation.objects.all():
        posts = names.get(station.pk, {"head": [], "deputy": []})
        head, deputy = "、".join(posts["head"])[:50], "、".join(posts["deputy"])[:50]
        if (station.head_name, station.deputy_name) != (head, deputy):
            Workstation.objects.filter(pk=station.pk).update(head_name=head, deputy_name=deputy)


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0003_volunteer_dates_in_order"), ("stations", "0007_phones_normalised")]

    operations = [migrations.RunPython(copy_officers, migrations.RunPython.noop)]
