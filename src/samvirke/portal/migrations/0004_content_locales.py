"""The content languages of portal pages: bokmål, nynorsk, Swedish and English."""

from django.db import migrations

LANGUAGE_CODES = ["nb", "nn", "sv", "en"]


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in LANGUAGE_CODES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_standardpage_share_with_all_standardpage_shared_to"),
    ]

    operations = [migrations.RunPython(create_locales, migrations.RunPython.noop)]
