"""Notification channels as plugins: how a message reaches a person. E-mail is the one
channel today; SMS or a digital mailbox (Digipost, e-Boks, Kivra) register in
`notification_channels` the same way. See docs/plugins.md."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext_lazy as _

from samvirke.core.registry import Plugin, Registry


class NotificationChannel(Plugin):
    """One way of delivering a notification."""

    def deliver(self, *, recipients: list[str], subject: str, body: str) -> None:
        """Delivers the message or raises: any exception counts as a failed attempt,
        and the notification is tried again later."""
        raise NotImplementedError


notification_channels: Registry[NotificationChannel] = Registry(_("notification channel"))


@notification_channels.register("email")
class EmailChannel(NotificationChannel):
    """E-mail through Django's mail backend (EMAIL_BACKEND), from DEFAULT_FROM_EMAIL."""

    verbose_name = _("E-mail")

    def deliver(self, *, recipients: list[str], subject: str, body: str) -> None:
        EmailMessage(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients
        ).send()
