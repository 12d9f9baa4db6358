"""Loading seed/*.yaml: roles, jurisdictions and (outside production) demo users.

Idempotent: what exists (by code, name or email) is left as an administrator may have edited it;
only what is missing is inserted. A bad file is refused with its name and the field at fault.
"""

import os
from datetime import UTC, date, datetime

import mongoengine as me
from flask_security import hash_password

from app.models import (
    District,
    Holiday,
    OrganisationProfile,
    PoliceStation,
    Posting,
    Role,
    State,
    User,
)
from app.models.accounts import ACCOUNT_STAFF

from . import accounts, api_keys, demo_requests, mobile_codes, service_types
from .seed_files import SEED_DIR, SeedError, read


def _validated(document, source, label):
    try:
        document.validate()
    except me.ValidationError as error:
        field, message = next(iter((error.to_dict() or {"?": str(error)}).items()))
        raise SeedError(f"{source}: {label}: field '{field}' {message}") from error
    return document


def _require(mapping, key, source, label):
    if key not in mapping or mapping[key] in (None, ""):
        raise SeedError(f"{source}: {label}: field '{key}' is missing")
    return mapping[key]


def seed_roles(data, source="roles.yaml"):
    created = 0
    for entry in data.get("roles") or []:
        name = _require(entry, "name", source, "role")
        role = Role.objects(name=name).first() or Role(name=name)
        created += role.pk is None
        # Roles are not editable in the admin, so the file is their source of truth.
        role.description = entry.get("description", "")
        role.permissions = list(entry.get("permissions") or [])
        role.level = entry.get("level", "none")
        _validated(role, source, f"role {name}").save()
    return created


def seed_law_sections(data, source="law_sections.yaml"):
    """Add the sections an FIR cites; a section already present (perhaps edited) is kept."""
    from app.models import LawSection

    created = 0
    for entry in data.get("sections") or []:
        act = _require(entry, "act", source, "section")
        number = str(_require(entry, "section", source, f"{act} section"))
        code = f"{act.split()[0]} {number}"
        if LawSection.objects(code=code).first() is not None:
            continue
        section = LawSection(
            code=code,
            act=act,
            section=number,
            title_en=_require(entry, "en", source, code),
            title_hi=_require(entry, "hi", source, code),
            max_years=_require(entry, "max_years", source, code),
            cognizable=entry.get("cognizable", True),
            sensitive=entry.get("sensitive", False),
        )
        _validated(section, source, code).save(force_insert=True)
        created += 1
    return created


def seed_help(data, source="help.yaml"):
    """National FAQs and useful links; an entry already present (perhaps edited) is kept."""
    from app.models import Faq, UsefulLink

    created = 0
    for order, entry in enumerate(data.get("faqs") or [], start=1):
        question = _require(entry, "en", source, f"faq {order}")
        if Faq.objects(state=None, question_en=question).first() is None:
            faq = Faq(
                question_en=question,
                question_hi=_require(entry, "hi", source, question),
                answer_en=_require(entry, "answer_en", source, question),
                answer_hi=_require(entry, "answer_hi", source, question),
                order=order * 10,
            )
            _validated(faq, source, question).save()
            created += 1
    for order, entry in enumerate(data.get("links") or [], start=1):
        title = _require(entry, "en", source, f"link {order}")
        if UsefulLink.objects(state=None, title_en=title).first() is None:
            link = UsefulLink(
                title_en=title,
                title_hi=_require(entry, "hi", source, title),
                url=_require(entry, "url", source, title),
                order=order * 10,
            )
            _validated(link, source, title).save()
            created += 1
    return created


def seed_jurisdictions(data, source="jurisdictions.yaml"):
    created = 0
    for state_entry in data.get("states") or []:
        code = _require(state_entry, "code", source, "state")
        state = State.objects(code=code).first()
        if state is None:
            fields = {
                k: state_entry[k] for k in ("name_en", "name_hi", "helpline") if k in state_entry
            }
            state = State(
                code=code, weekly_off_days=state_entry.get("weekly_off_days", [6]), **fields
            )
            _validated(state, source, f"state {code}").save()
            created += 1
        created += _seed_holidays(state, state_entry.get("holidays") or [], source)
        for district_entry in state_entry.get("districts") or []:
            created += _seed_district(state, district_entry, source)
    return created


def _seed_holidays(state, entries, source):
    created = 0
    for entry in entries:
        day = _require(entry, "date", source, f"holiday of {state.code}")
        if not isinstance(day, date):
            raise SeedError(f"{source}: holiday of {state.code}: field 'date' is not a date")
        if Holiday.objects(state=state, date=day).first():
            continue
        holiday = Holiday(
            state=state, date=day, name_en=entry.get("name_en"), name_hi=entry.get("name_hi")
        )
        _validated(holiday, source, f"holiday {day} of {state.code}").save()
        created += 1
    return created


def _seed_district(state, entry, source):
    created = 0
    code = _require(entry, "code", source, f"district of {state.code}")
    district = District.objects(state=state, code=code).first()
    if district is None:
        district = District(
            state=state, code=code, name_en=entry.get("name_en"), name_hi=entry.get("name_hi")
        )
        _validated(district, source, f"district {state.code}/{code}").save()
        created += 1
    for station_entry in entry.get("stations") or []:
        station_code = _require(station_entry, "code", source, f"station of {state.code}/{code}")
        if PoliceStation.objects(code=station_code).first():
            continue
        fields = {
            k: station_entry[k]
            for k in ("name_en", "name_hi", "address", "pincodes", "phone", "email")
            if k in station_entry
        }
        station = PoliceStation(code=station_code, state=state, district=district, **fields)
        _validated(station, source, f"station {station_code}").save()
        created += 1
    return created


def _place(posting_entry, source, label):
    """Resolve a posting's station code, 'STATE/DISTRICT' code or state code."""
    if posting_entry.get("station"):
        station = PoliceStation.objects(code=posting_entry["station"]).first()
        if station is None:
            raise SeedError(
                f"{source}: {label}: field 'station' names unknown {posting_entry['station']}"
            )
        return {"station": station, "district": station.district, "state": station.state}
    if posting_entry.get("district"):
        state_code, _, district_code = str(posting_entry["district"]).partition("/")
        state = State.objects(code=state_code).first()
        district = state and District.objects(state=state, code=district_code).first()
        if not district:
            raise SeedError(
                f"{source}: {label}: field 'district' names unknown {posting_entry['district']}"
            )
        return {"district": district, "state": state}
    state = State.objects(code=str(posting_entry.get("state", ""))).first()
    if state is None:
        raise SeedError(
            f"{source}: {label}: field 'state' names unknown {posting_entry.get('state')}"
        )
    return {"state": state}


def seed_demo_users(data, source="demo_users.yaml"):
    created = 0
    for entry in data.get("users") or []:
        email = _require(entry, "email", source, "user").lower()
        if User.objects(email=email).first():
            continue
        user = _demo_user(entry, email, source)
        created += 1
        for posting_entry in entry.get("postings") or []:
            label = f"posting of {email}"
            role = Role.objects(name=_require(posting_entry, "role", source, label)).first()
            if role is None:
                raise SeedError(
                    f"{source}: {label}: field 'role' names unknown {posting_entry['role']}"
                )
            posting = Posting(
                user=user,
                role=role,
                designation=posting_entry.get("designation"),
                start_date=date(2026, 4, 1),
                **_place(posting_entry, source, label),
            )
            _validated(posting, source, label).save()
        if entry.get("postings"):
            accounts.sync_roles(user)
    return created


def seed_demo_api_keys(data, source="demo_users.yaml"):
    """The demo organisations' API keys (after the catalogue: a key names live services)."""
    created = 0
    for entry in data.get("users") or []:
        for key in entry.get("api_keys") or []:
            created += _demo_api_key(entry, key, source)
    return created


def _demo_api_key(entry, key, source):
    """A demo organisation's API key, with the published value `flask demo-accounts` prints."""
    from app.models import ApiKey

    prefix = str(key.get("key", "")).split("_")[1:2]
    if not prefix or ApiKey.objects(prefix=prefix[0]).first() is not None:
        return 0
    owner = User.objects(email=entry["email"].lower()).first()
    try:
        api_keys.issue(
            None,
            owner.state,
            name=key.get("name"),
            owner=owner,
            services=key.get("services"),
            stations=key.get("stations"),
            plaintext=key["key"],
        )
    except api_keys.ApiKeyError as error:
        raise SeedError(f"{source}: API key of {entry['email']}: {error.errors}") from error
    return 1


def _demo_user(entry, email, source):
    state = State.objects(code=entry["state"]).first() if entry.get("state") else None
    account_type = entry.get("account_type", "citizen")
    user = User(
        email=email,
        password=hash_password(_require(entry, "password", source, f"user {email}")),
        full_name=entry.get("full_name"),
        mobile=entry.get("mobile"),
        account_type=account_type,
        state=state,
        confirmed_at=datetime.now(UTC),
        fs_uniquifier=os.urandom(16).hex(),
        roles=[],
    )
    org = entry.get("organisation")
    if org:
        user.organisation = OrganisationProfile(
            kind=org["kind"], name=org["name"], status=org.get("status", "pending")
        )
        if user.organisation.status == "approved":
            user.roles = [Role.objects.get(name=accounts.ORGANISATION_ROLE)]
    elif account_type != ACCOUNT_STAFF:
        user.roles = [Role.objects.get(name=accounts.CITIZEN_ROLE)]
    user = _validated(user, source, f"user {email}").save()
    if entry.get("mobile_verified"):
        mobile_codes.mark_verified(user, user.mobile)
    return user


def seed_all(
    include_demo_users, seed_dir=SEED_DIR, include_service_types=True, include_demo_requests=False
):
    """Load every seed file; returns {file: documents created}.

    Demo requests need the catalogue and the demo users, so they come only with both.
    """
    counts = {
        "roles.yaml": seed_roles(read("roles.yaml", seed_dir)),
        "jurisdictions.yaml": seed_jurisdictions(read("jurisdictions.yaml", seed_dir)),
        "law_sections.yaml": seed_law_sections(read("law_sections.yaml", seed_dir)),
        "help.yaml": seed_help(read("help.yaml", seed_dir)),
    }

    if include_service_types:
        counts["service_types/"] = service_types.seed(os.path.join(seed_dir, "service_types"))
    if include_demo_users:
        counts["demo_users.yaml"] = seed_demo_users(read("demo_users.yaml", seed_dir))
    if include_demo_users and include_service_types:
        counts["demo API keys"] = seed_demo_api_keys(read("demo_users.yaml", seed_dir))
    if include_demo_requests and include_demo_users and include_service_types:
        counts["demo_requests.yaml"] = demo_requests.seed(read("demo_requests.yaml", seed_dir))
    return counts


def demo_accounts(seed_dir=SEED_DIR, with_api_keys=False):
    """The demo accounts as `flask demo-accounts` prints them (with the demo API keys, each an
    entry with "roles": ["api_client"], when `with_api_keys`)."""
    rows = []
    for entry in read("demo_users.yaml", seed_dir).get("users") or []:
        postings = entry.get("postings") or []
        if postings:
            roles = [p["role"] for p in postings]
        elif entry.get("account_type") == "organisation":
            status = (entry.get("organisation") or {}).get("status")
            roles = ["organisation"] if status == "approved" else []
        else:
            roles = ["citizen"]
        station = next((p["station"] for p in postings if p.get("station")), None)
        district = next((p["district"] for p in postings if p.get("district")), None)
        state = entry.get("state") or next((p["state"] for p in postings if p.get("state")), None)
        place = station or district
        if not state and place:
            state = place.replace("/", "-").split("-")[0]
        row = {
            "email": entry["email"],
            "password": entry["password"],
            "roles": roles,
            "station": station,
            "district": district,
            "state": state,
        }
        if entry.get("organisation"):
            row["organisation_status"] = entry["organisation"].get("status", "pending")
        rows.append(row)
        for key in entry.get("api_keys") or [] if with_api_keys else []:
            rows.append(
                {
                    "name": key["name"],
                    "owner": entry["email"],
                    "roles": ["api_client"],
                    "api_key": key["key"],
                    "services": key.get("services") or [],
                    "stations": key.get("stations") or [],
                    "station": None,
                    "district": None,
                    "state": state,
                }
            )
    return rows
