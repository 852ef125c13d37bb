"""The portal follows the organisation register: every member municipality has its own
site, made when the municipality is created as a member or becomes one, and renamed with
it. Connected in `PortalConfig.ready`."""

from django.dispatch import receiver

from samvirke.organisations import signals
from samvirke.organisations.models import Organisation
from samvirke.portal.services import portal_site_ensure


def _ensure_site_of_member(organisation: Organisation, actor) -> None:
    if organisation.is_member and organisation.is_municipality:
        portal_site_ensure(organisation=organisation, actor=actor)


@receiver(signals.organisation_created, dispatch_uid="portal.organisation_created")
def on_organisation_created(sender, *, organisation: Organisation, actor, **kwargs) -> None:
    _ensure_site_of_member(organisation, actor)


@receiver(signals.organisation_updated, dispatch_uid="portal.organisation_updated")
def on_organisation_updated(sender, *, organisation: Organisation, actor, **kwargs) -> None:
    # a new member gets its site; after a new name or slug the site follows
    _ensure_site_of_member(organisation, actor)
