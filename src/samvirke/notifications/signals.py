"""What the notification channel announces, so that the app that sent a message can
record its fate without the channel knowing that app (apps above subscribe; see
docs/notifications.md).

Both are sent with `sender=Notification` and `notification=<the row>`; a receiver
recognises its own messages by `notification.purpose` and `notification.reference`."""

from django.dispatch import Signal

notification_sent = Signal()  # delivered through its channel
notification_failed = Signal()  # given up after the last attempt
