"""Notice wording in the admin: the text of every in-app notice and email, per kind and language,
the default or the administrator's, with a preview on sample values and a reset to the default
(services.notice_templates checks every change)."""

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_login import current_user

from app.services import notice_templates

from .base import SecuredView


class NoticeTemplatesView(SecuredView, BaseView):
    view_permission = "catalogue.manage"

    @expose("/")
    def index(self):
        return self.render(
            "admin/notice_templates.html",
            groups=notice_templates.table(),
            channels=notice_templates.CHANNELS,
            default_text=notice_templates.default_text,
        )

    def _edit_page(self, kind, channel, language, text, subject, errors=None, status=200):
        preview_subject, preview = None, None
        if request.method == "POST" and not errors:
            preview_subject, preview = notice_templates.preview(kind, language, text, subject)
        page = self.render(
            "admin/message_template_edit.html",
            title=notice_templates.KINDS[kind].title,
            channel_title=notice_templates.CHANNELS[channel],
            language=language,
            placeholders=notice_templates.KINDS[kind].placeholders,
            text=text,
            subject=subject,
            dlt_id=None,
            max_length=notice_templates.MAX_TEXT,
            errors=errors or {},
            preview=preview,
            preview_subject=preview_subject,
            default=notice_templates.default_text(kind, language),
            default_subject=(
                notice_templates.default_subject(kind, language) if channel == "email" else None
            ),
            note=(
                _("An email ends with the link to the request; an in-app notice links to it.")
                if kind in notice_templates.ABOUT_A_REQUEST
                else None
            ),
            reset_question=_("Go back to the default wording?"),
            action_url=url_for(".edit", kind=kind, channel=channel, language=language),
            back_url=url_for(".index"),
        )
        return page, status

    @expose("/<kind>/<channel>/<language>", methods=["GET", "POST"])
    def edit(self, kind, channel, language):
        if (
            not notice_templates.offered(kind, channel)
            or language not in notice_templates.LANGUAGES
        ):
            abort(404)
        if request.method == "GET":
            subject, text = notice_templates.wording(kind, channel, language)
            subject = subject if channel == "email" else None
            return self._edit_page(kind, channel, language, text, subject)
        text = request.form.get("text", "", type=str).strip()
        subject = request.form.get("subject", "", type=str).strip() if channel == "email" else None
        action = request.form.get("action", "save", type=str)
        if action == "reset":
            notice_templates.reset(kind, channel, language, current_user)
            flash(_("Back to the default wording."), "success")
            return redirect(url_for(".index"))
        if action == "preview":
            errors = notice_templates.check(kind, text, subject)
            return self._edit_page(
                kind, channel, language, text, subject, errors, 400 if errors else 200
            )
        try:
            notice_templates.save(kind, channel, language, text, subject, current_user)
        except notice_templates.TemplateError as error:
            errors = {name: str(message) for name, message in error.errors.items()}
            return self._edit_page(kind, channel, language, text, subject, errors, 400)
        flash(_("Wording saved."), "success")
        return redirect(url_for(".index"))
