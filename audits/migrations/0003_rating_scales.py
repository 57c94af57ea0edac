"""Ship the rating scales Swedish audit firms use, as data (levels ordered best to worst)."""

from django.db import migrations

GREEN, LIME, AMBER, RED = "#1a7f37", "#4d7c0f", "#9a6700", "#b42318"

SCALES = [
    (
        "uppfylld",
        "Uppfylld / Delvis uppfylld / Ej uppfylld",
        [
            ("Uppfylld", GREEN, "positive"),
            ("Delvis uppfylld", AMBER, "partial"),
            ("Ej uppfylld", RED, "negative"),
        ],
    ),
    (
        "ja-delvis-nej",
        "Ja / Delvis / Nej",
        [("Ja", GREEN, "positive"), ("Delvis", AMBER, "partial"), ("Nej", RED, "negative")],
    ),
    (
        "fyrgradig",
        "I allt väsentligt / Till övervägande del / Delvis / Nej",
        [
            ("I allt väsentligt", GREEN, "positive"),
            ("Till övervägande del", LIME, "partial"),
            ("Delvis", AMBER, "partial"),
            ("Nej", RED, "negative"),
        ],
    ),
    (
        "trafikljus",
        "Trafikljus (grön / gul / röd)",
        [("Grön", GREEN, "positive"), ("Gul", AMBER, "partial"), ("Röd", RED, "negative")],
    ),
]


def add_scales(apps, schema_editor):
    RatingScale = apps.get_model("audits", "RatingScale")
    RatingLevel = apps.get_model("audits", "RatingLevel")
    for code, name, levels in SCALES:
        scale, _ = RatingScale.objects.get_or_create(code=code, defaults={"name": name})
        for rank, (label, colour, tone) in enumerate(levels, start=1):
            RatingLevel.objects.get_or_create(
                scale=scale, rank=rank, defaults={"label": label, "colour": colour, "tone": tone}
            )


def remove_scales(apps, schema_editor):
    RatingScale = apps.get_model("audits", "RatingScale")
    RatingScale.objects.filter(code__in=[code for code, _, _ in SCALES], audits=None).delete()


class Migration(migrations.Migration):
    dependencies = [("audits", "0002_initial")]

    operations = [migrations.RunPython(add_scales, remove_scales)]
