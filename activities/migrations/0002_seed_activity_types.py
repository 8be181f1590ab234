"""Seed the activity types of issue 6 (the administrator may add more in the admin)."""

from django.db import migrations

# (code, name, system, form kind, service kind)
TYPES = [
    ("theory_study", "理论学习", "theory_study", "general", "training"),
    ("training", "业务培训", "training", "general", "training"),
    ("joint_meeting", "联席会议", "joint_meeting", "meeting", "meeting"),
    ("legal_lecture", "法治教育/法治宣讲", "legal_education", "lecture", "lecture"),
    ("mentoring_group", "结对帮教集体活动", "mentoring", "general", "visit"),
    ("relief", "扶贫济困", "relief", "relief", "relief"),
    ("care_visit", "走访慰问", "other", "general", "visit"),
    ("patrol", "夜巡/护学", "other", "general", "patrol"),
    ("counselling", "心理疏导", "other", "general", "counselling"),
    ("other", "其他", "other", "general", "other"),
]


def seed(apps, schema_editor):
    ActivityType = apps.get_model("activities", "ActivityType")
    for order, (code, name, system, form_kind, service_kind) in enumerate(TYPES, start=1):
        ActivityType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "system": system,
                "form_kind": form_kind,
                "service_kind": service_kind,
                "order": order * 10,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("activities", "ActivityType").objects.filter(code__in=[t[0] for t in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
