from django.db import migrations

AREAS = [
    ("childrens", "Children's services"),
    ("adults", "Adult services"),
    ("mental_health", "Mental health"),
    ("other", "Other"),
]


def add_areas(apps, schema_editor):
    ServiceArea = apps.get_model("core", "ServiceArea")
    for code, name in AREAS:
        ServiceArea.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(add_areas, migrations.RunPython.noop)]
