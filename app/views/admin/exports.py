"""Requests → Exports: start a CSV of the requests one may see, watch it being written, download.

The page works without JavaScript (reload to see progress); admin.js polls the status endpoint
and updates the progress bars and a polite live region while a job runs.
"""

from flask import abort, flash, jsonify, redirect, request, send_file, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.models import ExportJob
from app.services import exports
from app.services.errors import FieldErrors

from .base import SecuredView, state_services


class ExportsView(SecuredView, BaseView):
    view_permission = "requests.view"

    def _mine(self, job_id):
        job = ExportJob.objects(id=job_id).first() if _valid_id(job_id) else None
        if job is None or job.owner.id != current_user.id:
            abort(404)
        return job

    @expose("/", methods=["GET", "POST"])
    def index(self):
        errors, code = {}, 200
        if request.method == "POST":
            try:
                exports.start(
                    current_user, "requests", request.form.get("service", "", type=str) or None
                )
            except FieldErrors as error:
                errors, code = {k: str(v) for k, v in error.errors.items()}, 400
            else:
                flash(_("Your export has started. It appears below when it is ready."))
                return redirect(url_for(".index"))
        return self.render(
            "admin/exports.html",
            jobs=exports.visible_jobs(current_user),
            services=state_services(),
            errors=errors,
            progress_text=progress_text,
        ), code

    @expose("/<job_id>/status")
    def status(self, job_id):
        job = self._mine(job_id)
        return jsonify(
            status=job.status,
            written=job.written,
            total=job.total,
            percent=job.percent,
            text=progress_text(job),
            download=url_for(".download", job_id=job.id) if job.status == "done" else None,
            filename=job.filename,
        )

    @expose("/<job_id>/download")
    def download(self, job_id):
        job = self._mine(job_id)
        if job.status != "done":
            abort(404)
        try:
            return send_file(
                exports.path_of(job),
                mimetype="text/csv",
                as_attachment=True,
                download_name=job.filename,
            )
        except FileNotFoundError:
            abort(404)


def progress_text(job):
    if job.status == "done":
        return ngettext("Ready: %(num)d row.", "Ready: %(num)d rows.", job.written)
    if job.status == "failed":
        return _("Failed. Start the export again.")
    if job.status == "queued":
        return _("Waiting for a worker…")
    return _("Written %(done)d of %(total)d rows.", done=job.written, total=job.total)


def _valid_id(text):
    from bson import ObjectId

    return ObjectId.is_valid(text)
