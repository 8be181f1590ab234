"""On PostgreSQL a trigger refuses UPDATE and DELETE on the audit log (AUD-3).

The retention command sets `guanai.audit_purge = 'on'` for its own transaction to delete old rows.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION stations_auditentry_protect() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('guanai.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS stations_auditentry_protect ON stations_auditentry;
CREATE TRIGGER stations_auditentry_protect BEFORE UPDATE OR DELETE ON stations_auditentry
    FOR EACH ROW EXECUTE FUNCTION stations_auditentry_protect();
"""
DROP = """
DROP TRIGGER IF EXISTS stations_auditentry_protect ON stations_auditentry;
DROP FUNCTION IF EXISTS stations_auditentry_protect();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("stations", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
