"""`samvirke api-token-revoke PREFIX`: revoke a token by the prefix shown when it was made."""

from django.core.management.base import BaseCommand, CommandError

from samvirke.api.models import ApiToken
from samvirke.api.services import api_token_revoke


class Command(BaseCommand):
    help = "Revoke an API token by its prefix."

    def add_arguments(self, parser):
        parser.add_argument("prefix", help="The token's first characters, as listed when made.")

    def handle(self, *args, prefix, **options):
        tokens = list(ApiToken.objects.filter(prefix=prefix[:12]).select_related("organisation"))
        if len(tokens) != 1:
            raise CommandError(f"{len(tokens)} tokens have the prefix {prefix!r}; expected one.")
        api_token_revoke(actor=None, token=tokens[0])
        self.stdout.write(f"Revoked {tokens[0]}.")
