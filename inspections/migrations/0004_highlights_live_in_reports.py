"""The 工作亮点 have one home, stations.StationYearHighlight (issue 14 §1): the checklist's copies move
there (where the station has not written any for that year) and the checklist's column goes."""

from django.db import migrations


def move_highlights(apps, schema_editor):
    AnnualChecklist = apps.get_model("inspections", "AnnualChecklist")
    StationYearHighlight = apps.get_model("stations", "StationYearHighlight")
    for checklist in AnnualChecklist.objects.exclude(highlights=""):
        row = StationYearHighlight.objects.filter(workstation_id=checklist.workstation_id, year=checklist.year).first()
        if row is None:
            StationYearHighlight.objects.create(
                workstation_id=checklist.workstation_id, year=checklist.year, text=checklist.highlights
            )
        elif not row.text.strip():
            row.text = checklist.highlights
            row.save(update_fields=["text"])


def restore_highlights(apps, schema_editor):
    AnnualChecklist = apps.get_model("inspections", "AnnualChecklist")
    StationYearHighlight = apps.get_model("stations", "StationYearHighlight")
    for row in StationYearHighlight.objects.all():
        AnnualChecklist.objects.filter(workstation_id=row.workstation_id, year=row.year).update(highlights=row.text)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_score_and_award_bounds"), ("stations", "0007_phones_normalised")]

    operations = [
        migrations.RunPython(move_highlights, restore_highlights),
        migrations.RemoveField(model_name="annualchecklist", name="highlights"),
    ]
