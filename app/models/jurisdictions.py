"""States, districts, police stations and each state's holiday calendar.

Names are stored in English and Hindi side by side; `localized()` picks one for a language.
"""

import mongoengine as me

from .base import BaseDocument

__all__ = ["State", "District", "PoliceStation", "Holiday", "WEEKDAYS", "localized"]

# Python's date.weekday() numbering, which the working-day calendar uses.
WEEKDAYS = (
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
)
PINCODE_RE = r"^[1-9][0-9]{5}$"
PHONE_RE = r"^\+?[0-9][0-9 \-]{6,16}[0-9]$"
CODE_RE = r"^[A-Z0-9][A-Z0-9\-]{1,23}$"


def localized(document, field, language):
    """The Hindi value when asked for and present, else the English one."""
    if language == "hi":
        value = getattr(document, f"{field}_hi", None)
        if value:
            return value
    return getattr(document, f"{field}_en", "")


class NamedInTwoLanguages:
    """A place named in English and Hindi (`name_en`, `name_hi`)."""

    name_en: str
    name_hi: str

    def name_in(self, language):
        """Its name in `language`: Hindi for "hi" when it has one, else English."""
        return self.name_hi if language == "hi" and self.name_hi else self.name_en


class State(NamedInTwoLanguages, BaseDocument):
    code = me.StringField(required=True, unique=True, regex=r"^[A-Z]{2}$")
    name_en = me.StringField(required=True, max_length=100)
    name_hi = me.StringField(required=True, max_length=100)
    weekly_off_days = me.ListField(me.IntField(min_value=0, max_value=6), default=lambda: [6])
    helpline = me.StringField(regex=r"^[0-9][0-9 \-]{1,15}[0-9]$")  # short codes such as 112

    meta = {"collection": "states", "ordering": ["code"]}
    __scope__ = {"state": "id"}

    def __str__(self):
        return f"{self.name_en} ({self.code})"


class District(NamedInTwoLanguages, BaseDocument):
    state = me.ReferenceField(State, required=True, reverse_delete_rule=me.DENY)
    code = me.StringField(required=True, regex=CODE_RE, unique_with="state")
    name_en = me.StringField(required=True, max_length=100)
    name_hi = me.StringField(required=True, max_length=100)

    meta = {"collection": "districts", "indexes": ["state"], "ordering": ["code"]}
    __scope__ = {"state": "state", "district": "id"}

    def __str__(self):
        return f"{self.name_en} ({self.code})"


class PoliceStation(NamedInTwoLanguages, BaseDocument):
    code = me.StringField(required=True, unique=True, regex=CODE_RE)
    state = me.ReferenceField(State, required=True, reverse_delete_rule=me.DENY)
    district = me.ReferenceField(District, required=True, reverse_delete_rule=me.DENY)
    name_en = me.StringField(required=True, max_length=120)
    name_hi = me.StringField(required=True, max_length=120)
    address = me.StringField(required=True, max_length=500)
    pincodes = me.ListField(me.StringField(regex=PINCODE_RE), default=list)
    phone = me.StringField(regex=PHONE_RE)
    email = me.EmailField()
    # How often the beat officer visits each registered senior citizen (Delhi: weekly).
    senior_visit_days = me.IntField(default=7, min_value=1, max_value=90)

    meta = {
        "collection": "police_stations",
        "indexes": ["state", "district", "pincodes"],
        "ordering": ["code"],
    }
    __scope__ = {"state": "state", "district": "district", "station": "id"}

    def clean(self):
        if self.district and self.state and self.district.state.id != self.state.id:
            raise me.ValidationError(
                "The district is not in the station's state.",
                errors={"district": "The district is not in the station's state."},
            )

    def __str__(self):
        return f"{self.name_en} ({self.code})"


class Holiday(BaseDocument):
    state = me.ReferenceField(State, required=True, reverse_delete_rule=me.CASCADE)
    date = me.DateField(required=True, unique_with="state")
    name_en = me.StringField(required=True, max_length=120)
    name_hi = me.StringField(required=True, max_length=120)

    meta = {"collection": "holidays", "indexes": [("state", "date")], "ordering": ["date"]}
    __scope__ = {"state": "state"}

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name_en}"
