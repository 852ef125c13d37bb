"""Notifications (varsler): every message to a person outside the request — e-mail today,
SMS or a digital mailbox later — goes through `services.notification_send`. See
docs/notifications.md."""
