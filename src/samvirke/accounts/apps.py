from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samvirke.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # the permission rules (`rules` predicates) that `user.has_perm` asks
        from samvirke.accounts import (
            errors,  # noqa: F401  (registers its error codes)
            rules,  # noqa: F401
        )
