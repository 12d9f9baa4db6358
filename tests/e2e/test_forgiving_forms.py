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
