"""Forms that forgive, in a real browser: a file too large for its field is refused as soon as
it is chosen, with the reason next to the field, before anything is sent."""

from tests.helpers.live_api import DEMO
from tests.helpers.service_data import PNG


def test_an_oversized_photo_is_refused_when_chosen(tab_factory):
    tab = tab_factory(viewport={"width": 390, "height": 844})
    tab.csrf_form_login(DEMO["citizen"]["email"], DEMO["citizen"]["password"])
    page = tab.open("/services/tenant_verification/apply")
    big = {"name": "big.png", "mimeType": "image/png", "buffer": PNG + b"\0" * 201 * 1024}
    page.set_input_files("#tenant_photo", big)
    error = page.locator("#tenant_photo-choose-error")
    assert error.is_visible() and "200 KB" in error.inner_text()  # in the account's language
    assert page.get_attribute("#tenant_photo", "aria-invalid") == "true"
    assert page.eval_on_selector("#tenant_photo", "e => e.files.length") == 0
    page.set_input_files("#tenant_photo", {**big, "buffer": PNG})  # a right one clears it
    assert not error.is_visible()
    tab.check("102-apply-file-refused-phone")


def test_a_draft_is_kept_while_typing_and_offered_back(tab_factory):
    tab = tab_factory()
    tab.csrf_form_login(DEMO["citizen"]["email"], DEMO["citizen"]["password"])
    page = tab.open("/services/character_certificate/apply")
    page.fill("#full_name", "Draft Person")
    with page.expect_response(lambda r: r.url.endswith("/draft")) as kept:
        page.fill("#father_name", "Draft Father")
    assert kept.value.status == 204
    page = tab.open("/services/character_certificate/apply")
    assert page.input_value("#full_name") == "Draft Person"
    assert page.input_value("#father_name") == "Draft Father"
    tab.check("103-apply-draft-kept")
    page.click("form[action$='/draft/discard'] button")
    page.wait_for_load_state()
    assert page.input_value("#full_name") == ""
