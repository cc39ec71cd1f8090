"""Malayalam labels are whole: weekday names not cut mid-letter, choice labels translated."""

from django.utils import translation

from bookings.centre_pages.forms import NearForm
from wnh import weekdays


def test_weekday_abbreviations_are_whole_words_in_malayalam():
    with translation.override("ml"):
        label = weekdays.describe(weekdays.MONDAY_TO_SATURDAY)
    names = label.split(", ")
    assert len(names) == 6
    # Whole names, as Django's own Malayalam catalogue gives for "Mon", "Tue", ...; the old
    # three-character cut gave "തിങ", "വ്യ", half a letter each.
    assert names[0].startswith("തിങ്കള")
    assert names[3] == "വ്യാഴം"
    assert names[5] == "ശനി"
    assert all(len(name) > 2 for name in names)


def test_weekday_abbreviations_stay_short_in_english():
    with translation.override("en"):
        assert weekdays.describe(weekdays.MONDAY_TO_FRIDAY) == "Mon, Tue, Wed, Thu, Fri"


def test_the_distance_choices_follow_the_page_language():
    with translation.override("ml"):
        labels = [str(label) for _value, label in NearForm().fields["radius"].choices]
    assert labels == ["ഏത് ദൂരവും", "10 കി.മീ.ക്കുള്ളിൽ", "20 കി.മീ.ക്കുള്ളിൽ", "30 കി.മീ.ക്കുള്ളിൽ"]
    with translation.override("en"):
        labels = [str(label) for _value, label in NearForm().fields["radius"].choices]
    assert labels[1] == "Within 10 km"


def test_every_choice_label_of_the_portal_is_translated():
    from django.apps import apps

    untranslated = []
    for model in apps.get_models():
        if model.__module__.split(".")[0] not in {"accounts", "centres", "companies", "bookings"}:
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or []:
                with translation.override("ml"):
                    malayalam = str(label)
                with translation.override("en"):
                    english = str(label)
                if malayalam == english and model.__name__ != "User":
                    untranslated.append(f"{model.__name__}.{field.name}={value}: {english}")
    assert untranslated == []
