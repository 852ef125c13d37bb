"""`/api/v1/me/`: who am I, in which organisations, with which roles and grants."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema

from samvirke.accounts.api.me import me_describe
from samvirke.accounts.api.serializers import MeSerializer
from samvirke.api.models import ApiToken
from samvirke.api.views import ApiView


class MeView(ApiView):
    @extend_schema(
        operation_id="me",
        tags=["me"],
        summary=_("Who am I: organisations, roles and grants"),
        responses=MeSerializer,
    )
    def get(self, request, *args, **kwargs):
        token = request.auth if isinstance(request.auth, ApiToken) else None
        return self.output(me_describe(user=request.user, token=token), MeSerializer)
