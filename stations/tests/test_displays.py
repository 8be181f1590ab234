"""stations.displays: each project model's choice labels are the ones Django's own `get_FOO_display` gives."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models import Model

from stations import displays


def project_choice_fields():
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if base in Path(config.path).resolve().parents:
            for model in config.get_models():
                for field in model._meta.concrete_fields:
                    if field.choices:
                        yield model, field


def test_every_choice_label_is_djangos():
    fields = list(project_choice_fields())
    assert len(fields) > 30
    for model, field in fields:
        assert model.__dict__[f"get_{field.name}_display"].func is displays._display, (model.__name__, field.name)
        for value, _label in [*field.flatchoices, ("not-a-choice", None)]:
            obj = model()
            setattr(obj, field.attname, value)
            ours = getattr(obj, f"get_{field.name}_display")()
            assert ours == Model._get_FIELD_display(obj, field=field), (model.__name__, field.name, value)
    assert displays.install() == 0  # installed once, at start-up


def test_a_label_is_translated_when_shown():
    from volunteers.models import Volunteer

    volunteer = Volunteer(status=Volunteer._meta.get_field("status").choices[0][0])
    first = volunteer.get_status_display()
    assert type(first) is str and first == str(Volunteer._meta.get_field("status").choices[0][1])
