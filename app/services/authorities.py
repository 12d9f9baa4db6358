"""Who holds a role over a place: the officers a deadline, an appeal or a digest goes to.

A station role binds at the station, a district role at the district, a state role at the state;
holders(role, station) answers with the active, confirmed users posted there.
"""

from flask_babel import lazy_gettext as _l

from app.models import Posting, Role, User
from app.models.accounts import LEVEL_DISTRICT, LEVEL_STATE, LEVEL_STATION

# What the applicant is told about each tier's officer.
ROLE_TITLES = {
    "station_officer": _l("station officer"),
    "sho": _l("Station House Officer"),
    "district_supervisor": _l("district supervising officer (SDPO / DCP / SP)"),
    "state_admin": _l("state police headquarters"),
}


def title_of(role):
    return ROLE_TITLES.get(role, role)


def _place_filter(level, station):
    if level == LEVEL_STATION:
        return {"station": station.id}
    if level == LEVEL_DISTRICT:
        return {"district": station.district.id}
    if level == LEVEL_STATE:
        return {"state": station.state.id}
    return None


def holders(role_name, station):
    """Active users posted with `role_name` over `station`, ordered by email."""
    role = Role.objects(name=role_name).first()
    place = role and _place_filter(role.level, station)
    if not place:
        return []
    user_ids = {p["user"] for p in Posting.objects(role=role.id, active=True, **place).as_pymongo()}
    if not user_ids:
        return []
    return list(User.objects(id__in=list(user_ids), active=True).order_by("email"))
