"""PostgreSQL: an empty email address or mobile number written by SQL is stored as NULL.

"No address" and "no number" are NULL (migration 0008, the check constraint
user_email_phone_null_not_empty), so that the unique constraints hold over many people with
neither. The application writes NULL; a script writing rows by SQL, as an import from an
older export or a load of test data does, writes '' for "none". This trigger turns those
into NULL before the constraints are checked, instead of refusing the whole load. SQLite (the
laptop demo) has no such scripts and no trigger.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION accounts_user_empty_contact_is_null() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.email := NULLIF(NEW.email, '');
    NEW.phone := NULLIF(NEW.phone, '');
    RETURN NEW;
END $$;
CREATE TRIGGER accounts_user_empty_contact_is_null BEFORE INSERT OR UPDATE OF email, phone
    ON accounts_user FOR EACH ROW
    WHEN (NEW.email = '' OR NEW.phone = '')
    EXECUTE FUNCTION accounts_user_empty_contact_is_null();
"""

DROP = """
DROP TRIGGER IF EXISTS accounts_user_empty_contact_is_null ON accounts_user;
DROP FUNCTION IF EXISTS accounts_user_empty_contact_is_null();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0009_staff_edit_post_office_names")]

    operations = [migrations.RunPython(create, drop)]
