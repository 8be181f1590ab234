"""Notifications (issue 16 §3) with the unread count kept on the user row, and trigram indexes on the workstation registry's searched columns.

The trigram (pg_trgm) GIN indexes exist on PostgreSQL only: Django writes `icontains` as
`UPPER(col::text) LIKE UPPER('%term%')`, served by a GIN index over the same expression for terms of
three characters or more (docs/decisions.md 2026-12-04). SQLite gets no such index.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

SEARCHED = {"stations_workstation": ("name", "code", "police_station")}


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, columns in SEARCHED.items():
        for column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{table}_{column}_trgm" ON "{table}" '
                f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in SEARCHED.items():
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_{column}_trgm"')


class Migration(migrations.Migration):

    dependencies = [
        ('stations', '0008_import_mapping'),
    ]

    operations = [
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('assignment', '分派'), ('returned', '整改退回'), ('approval', '待审批'), ('due', '到期提醒'), ('reopened', '台账重新开放')], max_length=20, verbose_name='类别')),
                ('text', models.CharField(max_length=300, verbose_name='内容')),
                ('link', models.CharField(blank=True, max_length=300, verbose_name='链接')),
                ('key', models.CharField(blank=True, max_length=120, verbose_name='去重键')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='已读时间')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='接收人')),
            ],
            options={
                'verbose_name': '通知',
                'verbose_name_plural': '通知',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(condition=models.Q(('read_at__isnull', True)), fields=['recipient'], name='notification_unread'), models.Index(fields=['recipient', '-created_at'], name='notification_recipient')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('key', ''), _negated=True), fields=('recipient', 'key'), name='notification_unique_key')],
            },
        ),
        migrations.AddField(
            model_name='user',
            name='unread_notifications',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='未读通知数'),
        ),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
