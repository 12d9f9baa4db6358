"""Cases → Registers in the admin: officers record entries (with a photograph where the register
takes one), the SHO publishes them, anyone at the station withdraws them with reasons; possible
matches between found persons or bodies and missing persons are shown on both entries."""

from bson import ObjectId
from flask import abort, flash, redirect, request, send_file, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_login import current_user

from app.i18n import current_language
from app.models import Fir, PoliceStation, RegisterEntry, Upload
from app.services import access, registers, uploads
from app.services.registers import RegisterError

from .base import SecuredView, field_errors, has_permission


class RegistersView(SecuredView, BaseView):
    view_permission = "requests.view"

    def _stations(self):
        return list(access.scoped(PoliceStation.objects, current_user).order_by("code"))

    def _get(self, entry_id):
        if not ObjectId.is_valid(entry_id):
            abort(404)
        return access.get_scoped(RegisterEntry, current_user, id=entry_id) or abort(404)

    def _kind(self):
        kind = request.values.get("kind", "", type=str) or next(iter(registers.kinds()))
        if kind not in registers.kinds():
            abort(404)
        return kind

    @expose("/")
    def index(self):
        kind = self._kind()
        status = request.args.get("status", "", type=str)
        query = access.scoped(RegisterEntry.objects(kind=kind), current_user)
        if status in ("pending", "published", "withdrawn"):
            query = query.filter(status=status)
        return self.render(
            "admin/registers.html",
            kind=kind,
            kinds=registers.kinds(),
            reason_names=registers.MATCH_REASONS,
            status=status,
            rows=list(query.order_by("-created_at").limit(200)),
            summary=lambda e: registers.public_view(e, current_language())[:2],
            may_record=has_permission("requests.process") and bool(self._stations()),
        )

    @expose("/new", methods=["GET", "POST"])
    def new(self):
        if not has_permission("requests.process"):
            abort(403)
        kind = self._kind()
        stations = self._stations()
        errors, code, values = {}, 200, {}
        if request.method == "POST":
            values = {k: v for k, v in request.form.items() if k not in ("csrf_token", "kind")}
            station = next((s for s in stations if s.code == values.pop("station", "")), None)
            fir = self._fir(station, values.pop("linked_fir", "").strip())
            try:
                if station is None:
                    raise RegisterError({"station": _("Choose your police station.")})
                if fir is False:
                    raise RegisterError(
                        {"linked_fir": _("No FIR of this station has that number.")}
                    )
                photo = self._photo()
                entry = registers.record(current_user, station, kind, values, photo, fir or None)
            except RegisterError as error:
                errors, code = field_errors(error), error.http_status
                if "fir" in errors:  # the service's name for what this form calls linked_fir
                    errors["linked_fir"] = errors.pop("fir")
            except uploads.UploadError as error:
                errors, code = {"photo": uploads.photo_refusal(error)}, 400
            else:
                flash(_("Recorded. It is published when the SHO approves it."))
                return redirect(url_for(".details", entry_id=entry.id))
        return self.render(
            "admin/register_new.html",
            kind=kind,
            spec=registers.definition(kind),
            stations=stations,
            values=values,
            errors=errors,
        ), code

    @staticmethod
    def _fir(station, number):
        """The station's FIR with that number, None when none was given, False when unknown."""
        if not number:
            return None
        if station is None:
            return False
        return Fir.objects(station=station.id, number=number.upper()).first() or False

    @staticmethod
    def _photo():
        photo = request.files.get("photo")
        if not photo or not photo.filename:
            return None
        upload = uploads.store(photo.stream, photo.filename, current_user)
        if not upload.mime.startswith("image/"):
            raise uploads.UploadError("not an image")
        return upload.file_id

    @expose("/<entry_id>")
    def details(self, entry_id, errors=None, code=200):
        entry = self._get(entry_id)
        spec = registers.definition(entry.kind)
        language = current_language()
        # A match at another district's station is shown too: its public fields if it is
        # published, only its station if not; the officer calls that station to compare.
        matches = [
            {
                "entry": m.entry,
                "score": m.score,
                "reasons": m.reasons,
                "visible": access.can_see(current_user, m.entry),
                "public": (
                    registers.public_view(m.entry, language)
                    if m.entry.status == "published"
                    else []
                ),
            }
            for m in entry.matches
        ]
        matched_by = RegisterEntry.objects(matches__entry=entry.id)
        return self.render(
            "admin/register_details.html",
            entry=entry,
            spec=spec,
            shown=registers.officer_view(entry, current_language()),
            matches=matches,
            matched_by=[e for e in matched_by if access.can_see(current_user, e)],
            may_publish=(
                entry.status == "pending" and "sho" in access.roles_over(current_user, entry)
            ),
            kinds=registers.kinds(),
            reason_names=registers.MATCH_REASONS,
            errors=errors or {},
        ), code

    @expose("/<entry_id>/publish", methods=["POST"])
    def publish(self, entry_id):
        entry = self._get(entry_id)
        try:
            registers.publish(entry, current_user)
        except RegisterError as error:
            return self.details(
                entry_id, {k: str(v) for k, v in error.errors.items()}, error.http_status
            )
        flash(_("Published."))
        return redirect(url_for(".details", entry_id=entry.id))

    @expose("/<entry_id>/withdraw", methods=["POST"])
    def withdraw(self, entry_id):
        entry = self._get(entry_id)
        try:
            registers.withdraw(entry, current_user, request.form.get("reason", ""))
        except RegisterError as error:
            return self.details(
                entry_id, {k: str(v) for k, v in error.errors.items()}, error.http_status
            )
        flash(_("Withdrawn from the public register."))
        return redirect(url_for(".details", entry_id=entry.id))

    @expose("/<entry_id>/photo")
    def photo(self, entry_id):
        entry = self._get(entry_id)
        if not entry.photo_file_id:
            abort(404)
        upload = Upload.objects(file_id=entry.photo_file_id).first()
        try:
            return send_file(registers.photo_path(entry), mimetype=upload.mime if upload else None)
        except uploads.UploadError:
            abort(404)
