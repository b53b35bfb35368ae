"""The table of the shared cache (settings.CACHES, Django's database cache): the same table
`manage.py createcachetable` makes, created here so that `migrate` alone sets up a fresh install.
The table name is frozen here; settings.CACHES names the same one."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "nastavnik_cache"


def create_cache_table(apps, schema_editor):
    # Django's own statement (skips a table that already exists, e.g. made by createcachetable).
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    if TABLE in schema_editor.connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies: list = []

    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
