"""Assisted filing (services.assisted): the station desk or a CSC files for a walk-in citizen,
who is told by SMS (with a claim code the desk never sees), followed by SMS, found by their
mobile, and may claim the request in an account with that mobile."""

import io
import re

import pytest

from app.models import OutboxMessage, ServiceRequest, User
from app.services import assisted, workflow
from app.services.assisted import ClaimError
from tests.unit.test_portal_services import PDF, PNG, tenant_form

from conftest import DEMO

MOBILE = "9876501234"
DESK = "/desk/tenant_verification"


class _NoCsrf:
    def csrf(self, path):
        return ""


def _desk_form(auth, **walk_in):
    form = tenant_form(_NoCsrf())
    form["csrf_token"] = auth.csrf(DESK)
    form["tenant_photo"] = (io.BytesIO(PNG), "photo.png")
    form["tenant_id_proof"] = (io.BytesIO(PDF), "id.pdf")
    form.update(
        {
            "walk_in_name": "Kamla Devi",
            "walk_in_mobile": "+91 98765-01234",
            "walk_in_language": "hi",
            **walk_in,
        }
    )
    return form


def _file_at_desk(auth, who="officer.sector29"):
    auth.login(who)
    review = auth.client.post(DESK, data=_desk_form(auth), content_type="multipart/form-data")
    page = review.get_data(as_text=True)
    assert review.status_code == 200 and "Kamla Devi" in page and MOBILE in page, page[-2000:]
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    done = auth.client.post(DESK, data=hidden)
    assert done.status_code == 302 and "/desk/done/" in done.headers["Location"]
    ack = auth.client.get(done.headers["Location"]).get_data(as_text=True)
    number = re.search(r"HR-TEN-\d{4}-\d{6}-[0-9A-Z*]", ack).group(0)
    assert "XXXXXX1234" in ack and MOBILE not in ack  # the desk's slip shows the mobile masked
    auth.logout()
    return number


def _code_from_sms(number):
    sms = next(m for m in OutboxMessage.objects(channel="sms", to=MOBILE) if number in m.body_text)
    return re.search(r"(?:code|कोड) ([A-Z0-9]{6})", sms.body_text).group(1)


@pytest.mark.db
def test_the_desk_files_for_a_walk_in_who_gets_the_sms_and_is_found_by_mobile(
    catalogue_seeded, auth
):
    app = catalogue_seeded
    number = _file_at_desk(auth)
    with app.app_context():
        request = ServiceRequest.objects.get(number=number)
        assert request.applicant is None and request.filed_by.email.startswith("officer.sector29")
        assert request.walk_in_mobile == MOBILE and request.applicant_name == "Kamla Devi"
        assert request.history[0].actor_role == "desk" and request.claim_hash
        code = _code_from_sms(number)
        assert code not in str(request.to_mongo())  # only its keyed hash is kept
        # Officers find it by the walk-in's mobile, like any applicant's.
        from app.services import request_search

        officer = User.objects.get(email=DEMO["officer.sector29"]["email"])
        assert [r.number for r in request_search.search(officer, MOBILE)] == [number]
        # A change of status reaches them by SMS, in Hindi, with no account to read it in.
        sho = User.objects.get(email=DEMO["sho.sector29"]["email"])
        workflow.apply_transition(request, "accept", sho, remark="")
        texts = [m.body_text for m in OutboxMessage.objects(channel="sms", to=MOBILE)]
        assert len(texts) == 2 and number in texts[-1] and "अनुरोध" in texts[-1]
        # Documents asked for: the citizen brings them to the desk, which takes their step.
        request = workflow.apply_transition(
            request.reload(), "ask_documents", officer, remark="Bring the rent agreement."
        )
        request = workflow.apply_transition(request, "documents_given", officer, remark="")
        assert request.status == "under_verification"
        assert request.history[-1].actor_role == "desk"


def test_bad_desk_input_names_the_field_and_saves_nothing(catalogue_seeded, auth):
    app = catalogue_seeded
    auth.login("officer.sector29")
    form = _desk_form(auth, walk_in_name=" ", walk_in_mobile="12345", walk_in_email="x@")
    response = auth.client.post(DESK, data=form, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("walk_in_name", "walk_in_mobile", "walk_in_email"):
        assert f'href="#{field}"' in page and f'id="{field}-error"' in page
    with app.app_context():
        assert ServiceRequest.objects.count() == 0


def test_only_who_may_file_assisted_reaches_the_desk(catalogue_seeded, auth):
    auth.login("citizen")
    assert auth.client.get("/desk").status_code == 403
    auth.logout()
    auth.login("csc.gurugram")  # a Common Service Centre: lands on the desk, sees no admin
    landing = auth.client.get("/start")
    assert landing.headers["Location"].endswith("/desk")
    assert "Tenant" in auth.client.get("/desk").get_data(as_text=True)
    assert auth.client.get("/admin/queue/").status_code in (302, 403)


@pytest.mark.db
def test_the_citizen_claims_it_with_the_code_and_their_mobile(catalogue_seeded, auth):
    app = catalogue_seeded
    number = _file_at_desk(auth, "csc.gurugram")
    with app.test_request_context():
        code = _code_from_sms(number)
        citizen = User.objects.get(email=DEMO["citizen"]["email"])
        with pytest.raises(ClaimError) as wrong:
            assisted.claim(citizen, number, "AAAAAA")
        with pytest.raises(ClaimError) as unknown:
            assisted.claim(citizen, "HR-TEN-2026-999999-X", code)
        assert str(wrong.value.errors["code"]) == str(unknown.value.errors["code"])  # alike
        with pytest.raises(ClaimError) as other_mobile:  # the code is right, the account is not
            assisted.claim(citizen, number, code)
        assert set(other_mobile.value.errors) == {"mobile"}
        User.objects(id=citizen.id).update_one(set__mobile=MOBILE)
        citizen.reload()
    auth.login("citizen")
    page = auth.client.post(
        "/my/claim",
        data={
            "csrf_token": auth.csrf("/my/claim"),
            "number": number.replace("-", "").lower(),
            "code": code.lower(),
        },
    )
    assert page.status_code == 302 and page.headers["Location"].endswith(f"/my/requests/{number}")
    mine = auth.client.get("/my/requests").get_data(as_text=True)
    assert number in mine
    with app.app_context():
        claimed = ServiceRequest.objects.get(number=number)
        assert claimed.applicant.id == citizen.id and not claimed.claim_hash
        with pytest.raises(ClaimError):  # once only
            assisted.claim(citizen, number, code)


def test_five_wrong_codes_lock_the_claim(catalogue_seeded, auth):
    app = catalogue_seeded
    number = _file_at_desk(auth)
    with app.app_context():
        code = _code_from_sms(number)
        citizen = User.objects.get(email=DEMO["citizen"]["email"])
        User.objects(id=citizen.id).update_one(set__mobile=MOBILE)
        citizen.reload()
        for _ in range(assisted.MAX_CLAIM_FAILURES):
            with pytest.raises(ClaimError):
                assisted.claim(citizen, number, "WRONG1")
        with pytest.raises(ClaimError) as locked:
            assisted.claim(citizen, number, code)
        assert locked.value.http_status == 429
