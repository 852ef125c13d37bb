"""Token authentication for integrated systems: `Authorization: Token <token>`.

A token acts as its service account, which holds roles in exactly one organisation, so an
integrated system sees what that organisation's staff would see and nothing more."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from samvirke.api.models import ApiToken, token_digest
from samvirke.web.request_context import update_context


class ApiTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user", "organisation")
            .filter(digest=token_digest(key))
            .first()
        )
        if token is None or not token.is_usable() or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The API token is not valid."))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        update_context(user=token.user)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
