"""A service asks for the eID level it needs; a lower login is sent to log in again."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from samvirke.accounts.oidc.decorators import eid_login_required
from samvirke.accounts.oidc.flow import SESSION_KEY
from samvirke.accounts.services import citizen_login_from_eid

pytestmark = pytest.mark.django_db


@eid_login_required("high")
def needs_high(request):
    return HttpResponse("secret")


def _request(user=None, level=None):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/service/apply/?step=2")
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    if level:
        request.session[SESSION_KEY] = {"provider": "dev", "level": level}
    return request


def _citizen():
    return citizen_login_from_eid(
        provider="dev", national_id="14838512470", full_name="Ingrid Testesen", acr="x"
    )


def test_anonymous_visitor_is_sent_to_eid_login_for_the_level():
    response = needs_high(_request())
    assert response.status_code == 302
    url = urlparse(response["Location"])
    assert url.path == "/accounts/eid/login/"
    query = parse_qs(url.query)
    assert query["level"] == ["high"]
    assert query["next"] == ["/service/apply/?step=2"]


def test_substantial_login_is_not_enough_for_high():
    response = needs_high(_request(_citizen(), level="substantial"))
    assert response.status_code == 302
    assert "level=high" in response["Location"]


def test_high_login_gets_through():
    response = needs_high(_request(_citizen(), level="high"))
    assert response.status_code == 200


def test_staff_session_is_not_an_eid_login(demo):
    response = needs_high(_request(demo.user["askim.saksbehandler"], level="high"))
    assert response.status_code == 302
