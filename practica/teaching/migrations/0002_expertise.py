from django.db import migrations

# the subjects the case study's practitioner teachers and contributors teach most; coordinators
# add more in the admin
EXPERTISE = [
    ("child_protection", "Child protection"),
    ("children_in_care", "Children in care"),
    ("mental_capacity", "Mental capacity"),
    ("mental_health", "Mental health"),
    ("safeguarding_adults", "Safeguarding adults"),
    ("anti_oppressive_practice", "Anti-oppressive practice"),
    ("assessment", "Assessment and care planning"),
    ("court_skills", "Court skills"),
    ("communication", "Communication skills"),
    ("lived_experience", "Lived experience of services"),
]


def add_expertise(apps, schema_editor):
    Expertise = apps.get_model("teaching", "Expertise")
    for code, name in EXPERTISE:
        Expertise.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("teaching", "0001_initial")]
    operations = [migrations.RunPython(add_expertise, migrations.RunPython.noop)]
