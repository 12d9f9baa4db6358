"""SMS wording in the admin: every kind of SMS in both languages, its text (the default or the
administrator's), its DLT template id, a preview with sample values, and a reset to the default
(services.sms_templates checks every change)."""

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_login import current_user

from app.services import sms_templates

from .base import SecuredView


class SmsTemplatesView(SecuredView, BaseView):
    view_permission = "catalogue.manage"

    @expose("/")
    def index(self):
        groups = {}
        for kind, language, spec, row in sms_templates.table():
            groups.setdefault(kind, (kind, spec, []))[2].append((language, row))
        return self.render(
            "admin/sms_templates.html",
            groups=list(groups.values()),
            missing=sms_templates.missing_dlt(),
            held=sms_templates.held_count(),
            required=sms_templates.dlt_required(),
            default_text=sms_templates.default_text,
        )

    def _edit_page(self, kind, language, text, dlt_id, errors=None, preview=None, status=200):
        page = self.render(
            "admin/message_template_edit.html",
            title=sms_templates.KINDS[kind].title,
            channel_title=_("SMS"),
            language=language,
            placeholders=sms_templates.KINDS[kind].placeholders,
            text=text,
            subject=None,
            dlt_id=dlt_id or "",
            max_length=sms_templates.MAX_LENGTH,
            errors=errors or {},
            preview=preview,
            preview_subject=None,
            default=sms_templates.default_text(kind, language),
            default_subject=None,
            note=_(
                "At most 320 characters with them filled in. An officer’s remarks are never "
                "sent by SMS."
            ),  # fmt: skip
            reset_question=_("Go back to the default wording? Its DLT id is removed as well."),
            action_url=url_for(".edit", kind=kind, language=language),
            back_url=url_for(".index"),
        )
        return page, status

    @expose("/<kind>/<language>", methods=["GET", "POST"])
    def edit(self, kind, language):
        if kind not in sms_templates.KINDS or language not in sms_templates.LANGUAGES:
            abort(404)
        if request.method == "GET":
            text, dlt_id = sms_templates.wording(kind, language)
            return self._edit_page(kind, language, text, dlt_id or "")
        text = request.form.get("text", "", type=str)
        dlt_id = request.form.get("dlt_template_id", "", type=str)
        action = request.form.get("action", "save", type=str)
        if action == "reset":
            sms_templates.reset(kind, language, current_user)
            flash(_("Back to the default wording. Enter the DLT id registered for it."), "success")
            return redirect(url_for(".index"))
        if action == "preview":
            errors = sms_templates.check(kind, text.strip()) if text.strip() else {}
            shown = None if errors else sms_templates.preview(kind, language, text.strip())
            return self._edit_page(
                kind, language, text, dlt_id, errors, shown, 400 if errors else 200
            )
        try:
            sms_templates.save(kind, language, text, dlt_id, current_user)
        except sms_templates.TemplateError as error:
            errors = {name: str(message) for name, message in error.errors.items()}
            return self._edit_page(kind, language, text, dlt_id, errors, status=400)
        flash(_("SMS wording saved."), "success")
        return redirect(url_for(".index"))
