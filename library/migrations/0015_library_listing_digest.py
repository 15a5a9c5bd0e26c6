"""Library.listing_digest, and the triggers that empty it when a media row changes.

A rescan skips reading the rows when the folder's listing hashes to the digest
the last clean scan stored. That is safe only if no row changed since, by any
writer (an apply, the admin, the sqlite3 shell), so the database itself forgets
the digest: on an insert or delete of a media row, and on an update that changes
what a scan compares (path, path_bytes, size, mtime, missing, library).

Their cost on SQLite, measured: 100,000 rows inserted in 4.5 s instead of 3.7
(a first scan of 100,000 files takes 35 s), 10,000 paths updated (an apply)
in 0.08 s instead of 0.05.
"""

from django.db import migrations, models

COMPARED = ("path", "path_bytes", "size", "mtime", "missing", "library_id")
FORGET = "UPDATE library_library SET listing_digest = '' WHERE listing_digest <> '' AND id IN"

SQLITE = [
    f"""CREATE TRIGGER library_mediafile_listing_insert AFTER INSERT ON library_mediafile
    BEGIN {FORGET} (NEW.library_id); END""",
    f"""CREATE TRIGGER library_mediafile_listing_delete AFTER DELETE ON library_mediafile
    BEGIN {FORGET} (OLD.library_id); END""",
    f"""CREATE TRIGGER library_mediafile_listing_update
    AFTER UPDATE OF {", ".join(COMPARED)} ON library_mediafile
    WHEN {" OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in COMPARED)}
    BEGIN {FORGET} (OLD.library_id, NEW.library_id); END""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS library_mediafile_listing_{event}"
    for event in ("insert", "delete", "update")
]

# Inserts and deletes fire once per statement (a first scan inserts 100,000 rows
# in a few hundred statements); updates once per row, and only when a compared
# column changed (PostgreSQL refuses a column list beside transition tables).
POSTGRESQL = [
    f"""CREATE FUNCTION library_listing_forget() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {FORGET} (SELECT library_id FROM changed); RETURN NULL; END $$""",
    f"""CREATE FUNCTION library_listing_forget_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {FORGET} (OLD.library_id, NEW.library_id); RETURN NULL; END $$""",
    """CREATE TRIGGER library_mediafile_listing_insert AFTER INSERT ON library_mediafile
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION library_listing_forget()""",
    """CREATE TRIGGER library_mediafile_listing_delete AFTER DELETE ON library_mediafile
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION library_listing_forget()""",
    f"""CREATE TRIGGER library_mediafile_listing_update
    AFTER UPDATE OF {", ".join(COMPARED)} ON library_mediafile FOR EACH ROW
    WHEN ({" OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in COMPARED)})
    EXECUTE FUNCTION library_listing_forget_row()""",
]
POSTGRESQL_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS library_mediafile_listing_{event} ON library_mediafile"
        for event in ("insert", "delete", "update")
    ),
    "DROP FUNCTION IF EXISTS library_listing_forget()",
    "DROP FUNCTION IF EXISTS library_listing_forget_row()",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements[schema_editor.connection.vendor]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0014_fileoperation_identity"),
    ]

    operations = [
        migrations.AddField(
            model_name="library",
            name="listing_digest",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        ),
    ]
