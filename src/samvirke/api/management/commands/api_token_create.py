"""`samvirke api-token-create --organisation SLUG --name NAME [--role ROLE]…`: a token for
an integrated system, printed once. Only its digest is stored."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from samvirke.accounts.models import Role
from samvirke.api.services import api_token_create
from samvirke.organisations.models import Organisation


class Command(BaseCommand):
    help = "Create an API token for an integrated system, scoped to one organisation."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument("--name", required=True, help="Which system uses the token.")
        parser.add_argument(
            "--role",
            action="append",
            choices=Role.values,
            dest="roles",
            help="A role the token holds in the organisation (repeatable; default: reader).",
        )
        parser.add_argument(
            "--expires-in-days", type=int, default=None, help="Days until the token expires."
        )

    def handle(self, *args, organisation, name, roles, expires_in_days, **options):
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"No organisation with the slug {organisation!r}.")
        expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
        try:
            token, raw = api_token_create(
                actor=None,
                organisation=org,
                name=name,
                roles=roles or [Role.READER],
                expires_at=expires_at,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write(
            f"Token {token.prefix}… for {org.name} ({', '.join(roles or [Role.READER])}). "
            "It is shown once; store it now."
        )
        self.stdout.write(raw)
