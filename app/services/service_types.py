"""Publishing and reading service definitions per state.

publish() validates a definition and stores it as a new immutable version, then points the live
service type at it: the portal and API use it from the next request, with no restart. Versions
never change, so reading one is cached in the process.
"""

import glob
import os
from dataclasses import dataclass
from functools import lru_cache

from bson import ObjectId

from app.models import ServiceType, ServiceTypeVersion, State
from app.models.base import stored_id

from . import audit, catalogue
from .seed_files import SEED_DIR

SERVICE_TYPES_DIR = os.path.join(SEED_DIR, "service_types")


class ServiceTypeError(ValueError):
    pass


def publish(state, definition, actor=None, source=None, reason=None, active=True):
    """Validate and publish `definition` for `state` as a new version, with who and why; returns
    the live ServiceType. A new service is offered to the public if `active`; an existing one
    stays offered or withdrawn as it was (publishing a change does not bring back a service an
    administrator withdrew)."""
    catalogue.check(definition, source or f"service {definition.get('code', '?')}")
    code = definition["code"]
    live = ServiceType.objects(state=state, code=code).first()
    version = (live.version if live else 0) + 1
    ServiceTypeVersion(
        code=code,
        state=state,
        version=version,
        definition=definition,
        created_by=actor,
        reason=(reason or "").strip()[:500] or None,
    ).save()
    fields = {
        "set__version": version,
        "set__definition": definition,
        "set__name_en": definition["name"]["en"],
        "set__name_hi": definition["name"]["hi"],
        "set__updated_by": actor,
    }
    if live is None:
        live = ServiceType(
            state=state,
            code=code,
            version=version,
            definition=definition,
            name_en=definition["name"]["en"],
            name_hi=definition["name"]["hi"],
            active=active,
            updated_by=actor,
        ).save()
    else:
        live.modify(**fields)
    audit.record("catalogue.publish", actor=actor, target=live, state=state, version=version)
    return live


def versions(state, code):
    """Every published version of a service, newest first."""
    return list(
        ServiceTypeVersion.objects(state=state, code=code)
        .order_by("-version")
        .select_related(max_depth=1)
    )


def rollback(state, code, version, actor, reason):
    """Publish version `version`'s definition again, as a new version: the history stays whole
    and requests keep the version they were made under. Returns the live ServiceType."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceTypeError("reason")
    old = ServiceTypeVersion.objects(state=state, code=code, version=version).first()
    if old is None:
        raise ServiceTypeError(f"{code} v{version} does not exist")
    return publish(
        state,
        old.definition,
        actor=actor,
        source=f"{code} v{version}",
        reason=f"↩ v{version}: {reason}",
    )


def live(state, code):
    return ServiceType.objects(state=state, code=code, active=True).first()


@dataclass(frozen=True)
class Current:
    """The live version of a service in a state, as submission needs it."""

    state: ObjectId
    code: str
    version: int
    definition: dict


def current(state, code):
    """live() for the submission path: one small query for the live version number, the
    definition from the per-process cache of immutable versions (a definition is some 10 kB of
    JSON that FerretDB would otherwise decode on every submission). None if not offered."""
    state_id = getattr(state, "id", state)
    row = (
        ServiceType.objects(state=state_id, code=code, active=True)
        .order_by()
        .only("version")
        .as_pymongo()
        .first()
    )
    if row is None:
        return None
    try:
        definition = _version(state_id, code, row["version"])
    except ServiceTypeError:  # a live type without its version record (written by hand)
        definition = live(state_id, code).definition
    return Current(state_id, code, row["version"], definition)


def live_services(state):
    return ServiceType.objects(state=state, active=True).order_by("code")


@lru_cache(maxsize=512)
def _version(state_id, code, version):
    found = ServiceTypeVersion.objects(state=state_id, code=code, version=version).first()
    if found is None:
        raise ServiceTypeError(f"{code} v{version} does not exist")
    return found.definition


def definition_of(request):
    """The definition a request was submitted under (immutable, cached)."""
    # The state's id as stored: no query for the state per row of a list.
    return _version(stored_id(request, "state"), request.service, request.service_version)


def definition_for(state_id, code, version):
    """definition_of for a raw row (as_pymongo), without loading the request."""
    return _version(state_id, code, version)


def clear_cache():
    _version.cache_clear()


def seed_files(seed_dir=SERVICE_TYPES_DIR):
    """Every definition file, loaded and validated; an error names the file and field."""
    definitions = []
    for path in sorted(glob.glob(os.path.join(seed_dir, "*.yaml"))):
        name = os.path.basename(path)
        definition = catalogue.load_file(path)
        catalogue.check(definition, name)
        if definition["code"] != name[:-5]:
            raise catalogue.DefinitionError(name, [f"code: must be '{name[:-5]}' like the file"])
        definitions.append(definition)
    return definitions


def seed(seed_dir=SERVICE_TYPES_DIR):
    """Publish every seed definition in every state that does not have that service yet."""
    created = 0
    definitions = seed_files(seed_dir)
    for state in State.objects:
        for definition in definitions:
            if ServiceType.objects(state=state, code=definition["code"]).first() is None:
                publish(state, definition, source=f"{definition['code']}.yaml")
                created += 1
    return created
