"""accounts 0007: the numbers people typed before (a free text field) become E.164 when they
read as Indian mobile numbers, else NULL; a number two accounts typed stays with the first."""

import importlib

migration = importlib.import_module("accounts.migrations.0008_phone_e164_email_optional")


class Rows:
    """The few queryset calls the migration makes, over a dict of id -> phone."""

    def __init__(self, rows):
        self.rows = rows

    def exclude(self, phone):
        return self

    def order_by(self, field):
        return self

    def values_list(self, *fields):
        return [(pk, phone) for pk, phone in sorted(self.rows.items()) if phone is not None]

    def filter(self, pk):
        rows = self.rows

        class One:
            def update(self, phone):
                rows[pk] = phone

        return One()


class Apps:
    def __init__(self, rows):
        self.model = type("User", (), {"objects": Rows(rows)})

    def get_model(self, app, name):
        return self.model


def test_typed_numbers_become_e164_or_null_and_never_twice():
    rows = {
        1: "94470 12345",
        2: "+91-94470-12345",  # the same number as 1: emptied
        3: "0474 2123456",  # a landline
        4: "",
        5: "call me",
        6: "+91 98470 12345",
        7: "9" * 200,
        8: "٩٤٤٧٠١٢٣٤٥",
    }
    migration.normalise_numbers(Apps(rows), None)
    assert rows == {
        1: "+919447012345",
        2: None,
        3: None,
        4: None,
        5: None,
        6: "+919847012345",
        7: None,
        8: None,
    }
