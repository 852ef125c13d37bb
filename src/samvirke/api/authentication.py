"""Token authentication for integrated systems: `Authorization: Token <token>`.

A token acts as its service account, which holds roles in exactly one organisation, so an
integrated system sees what that organisation's staff would see and nothing more."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from rest_framework import authentication, exceptions

from samvirke.api.models import ApiToken, token_digest
from samvirke.core import ratelimit
from samvirke.core.request_context import update_context


def _throttled_detail() -> str:
    return str(_("Too many requests with a wrong API token came from your address."))


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """A token that is wrong, expired or revoked counts against the client's address
    (`api_auth_failure` in SAMVIRKE_RATE_LIMITS); past the limit the address gets 429
    (`throttled`, with Retry-After) for any token until the window ends, so tokens cannot
    be guessed at speed."""

    keyword = "Token"

    def authenticate(self, request):
        self._request = request
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        request = getattr(self, "_request", None)
        if request is not None:
            blocked = ratelimit.rate_limit_peek(ratelimit.Scope.API_AUTH_FAILURE, request)
            if blocked.limited:
                raise exceptions.Throttled(wait=blocked.retry_after, detail=_throttled_detail())
        token = (
            ApiToken.objects.select_related("user", "organisation")
            .filter(digest=token_digest(key))
            .first()
        )
        if token is None or not token.is_usable() or not token.user.is_active:
            if request is not None:
                ratelimit.rate_limit_hit(ratelimit.Scope.API_AUTH_FAILURE, request)
            raise exceptions.AuthenticationFailed(_("The API token is not valid."))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        update_context(user=token.user)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class StaffSessionAuthentication(authentication.SessionAuthentication):
    """The browser's logged-in session, with CSRF enforced for unsafe methods (DRF's own
    check). A user who has a second-factor device counts as logged in only once the
    session has verified it, as on the staff pages; otherwise the request is anonymous."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if _needs_second_factor(user) and not _is_verified(user):
            return None
        return result


def _is_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


def _needs_second_factor(user) -> bool:
    return user_has_device(user, confirmed=True)
