"""Search that stays fast as the catalogue grows: one upper-cased column per row with every searched text in both
languages, kept by the database, and on PostgreSQL a trigram GIN index on it, which answers substring searches
(Chinese ones too: pg_trgm reads CJK characters as word characters in a UTF-8 locale) without reading every row.
SQLite (`make run`) gets the column without an index."""

import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

INDEXES = {
    "villages_village_search_trgm": "villages_village",
    "villages_experience_search_trgm": "villages_experience",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (searchable_text gin_trgm_ops)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def text_of(*columns):
    parts = []
    for column in columns:
        parts += [models.F(column), models.Value("\x1f")]
    return django.db.models.functions.text.Upper(
        django.db.models.functions.text.Concat(*parts[:-1], output_field=models.TextField())
    )


class Migration(migrations.Migration):
    dependencies = [("villages", "0007_routes")]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="experience",
            name="searchable_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=text_of("title_zh_hans", "title_en", "description_zh_hans", "description_en"),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="village",
            name="searchable_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=text_of(
                    "name_zh_hans",
                    "name_en",
                    "tagline_zh_hans",
                    "tagline_en",
                    "summary_zh_hans",
                    "summary_en",
                    "description_zh_hans",
                    "description_en",
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
