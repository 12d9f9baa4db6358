"""The admin panel: built per app by init_admin(app), never at import time.

Menus show only the views whose permission the user holds; every view is jurisdiction-scoped.
"""

from flask_admin import Admin, AdminIndexView, expose
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.i18n import TRANSLATIONS_DIR
from app.models import (
    AuditEvent,
    Faq,
    LawSection,
    Posting,
    Role,
    ServiceRequest,
    ServiceType,
    UsefulLink,
    User,
)
from app.models.accounts import ACCOUNT_ORGANISATION, APPROVAL_PENDING
from app.services import access

from .api_keys import ApiKeysView
from .base import SecuredView, has_permission
from .catalogue import ServiceTypeView
from .exports import ExportsView
from .firs import FirsView, LawSectionView
from .help import FaqView, UsefulLinkView
from .jurisdictions import VIEWS as JURISDICTION_VIEWS
from .notice_templates import NoticeTemplatesView
from .oversight import AppealsView, SeniorsView, SupervisionView
from .registers import RegistersView
from .requests import QueueView, RequestView
from .sms_templates import SmsTemplatesView
from .staff import AuditEventView, OrganisationView, PostingView, RoleView, UserView
from .today import TodayView


class DashboardView(SecuredView, AdminIndexView):
    @expose("/")
    def index(self):
        postings = Posting.objects(user=current_user.id, active=True)
        pending = None
        if has_permission("organisations.approve"):
            pending = (
                access.scoped(User.objects, current_user)
                .filter(account_type=ACCOUNT_ORGANISATION, organisation__status=APPROVAL_PENDING)
                .count()
            )
        return self.render("admin/portal_index.html", postings=postings, pending=pending)


def init_admin(app):
    admin = Admin(
        app,
        name=_l("Police Services Admin"),
        index_view=DashboardView(name=_l("Dashboard"), url="/admin"),
        theme=Bootstrap4Theme(base_template="admin/portal_base.html", swatch="default"),
        translations_path=TRANSLATIONS_DIR,
    )
    requests_menu = _l("Requests")
    admin.add_view(QueueView(name=_l("My queue"), category=requests_menu, endpoint="queue"))
    admin.add_view(TodayView(name=_l("Today's visits"), category=requests_menu, endpoint="today"))
    admin.add_view(
        RequestView(
            ServiceRequest, name=_l("All requests"), category=requests_menu, endpoint="requests"
        )
    )
    admin.add_view(AppealsView(name=_l("Appeals"), category=requests_menu, endpoint="appeals"))
    admin.add_view(
        SupervisionView(name=_l("Supervision"), category=requests_menu, endpoint="supervision")
    )
    admin.add_view(
        SeniorsView(name=_l("Senior citizens"), category=requests_menu, endpoint="seniors")
    )
    admin.add_view(ExportsView(name=_l("Exports"), category=requests_menu, endpoint="exports"))
    admin.add_view(
        ServiceTypeView(
            ServiceType, name=_l("Service catalogue"), category=requests_menu, endpoint="catalogue"
        )
    )
    cases = _l("Cases")
    admin.add_view(
        SmsTemplatesView(name=_l("SMS wording"), category=requests_menu, endpoint="sms_templates")
    )
    admin.add_view(
        NoticeTemplatesView(
            name=_l("Notice and email wording"), category=requests_menu, endpoint="notice_templates"
        )
    )
    admin.add_view(FirsView(name=_l("FIRs"), category=cases, endpoint="firs"))
    admin.add_view(RegistersView(name=_l("Registers"), category=cases, endpoint="registers_admin"))
    admin.add_view(
        LawSectionView(LawSection, name=_l("Sections of law"), category=cases, endpoint="sections")
    )
    jurisdictions = _l("Jurisdictions")
    for view_class, model, name, endpoint in JURISDICTION_VIEWS:
        admin.add_view(view_class(model, name=name, category=jurisdictions, endpoint=endpoint))
    help_menu = _l("Help")
    admin.add_view(FaqView(Faq, name=_l("FAQs"), category=help_menu, endpoint="faqs"))
    admin.add_view(
        UsefulLinkView(UsefulLink, name=_l("Useful links"), category=help_menu, endpoint="links")
    )
    people = _l("People")
    admin.add_view(UserView(User, name=_l("Users"), category=people, endpoint="users"))
    admin.add_view(PostingView(Posting, name=_l("Postings"), category=people, endpoint="postings"))
    admin.add_view(RoleView(Role, name=_l("Roles"), category=people, endpoint="roles"))
    admin.add_view(
        OrganisationView(User, name=_l("Organisations"), category=people, endpoint="organisations")
    )
    admin.add_view(ApiKeysView(name=_l("API keys"), category=people, endpoint="api_keys"))
    admin.add_view(AuditEventView(AuditEvent, name=_l("Audit trail"), endpoint="audit"))
    return admin
