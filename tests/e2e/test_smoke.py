import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_page_renders_in_chromium_and_is_accessible(page, e2e_demo):
    page.goto("/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
