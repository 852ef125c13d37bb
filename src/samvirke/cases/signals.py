"""Signals the service square sends after a change has been committed (they are sent from
`transaction.on_commit`, so a receiver never sees a change that was rolled back).

Receivers (webhooks, notifications) must not raise: a failure there must not undo the
citizen's submission or the handler's step."""

from django.dispatch import Signal

# submission=Submission, case=Case | None
submission_received = Signal()
# case=Case, old_status=str, new_status=str, actor=User | None
case_status_changed = Signal()
# message=CaseMessage
case_message_added = Signal()
