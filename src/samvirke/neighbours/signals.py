"""What neighbour notification announces. Sent from `transaction.on_commit`, so a receiver
never sees a notification that was rolled back."""

from django.dispatch import Signal

# notification=NeighbourNotification; its neighbours are saved, no notice has gone out yet
notification_started = Signal()
