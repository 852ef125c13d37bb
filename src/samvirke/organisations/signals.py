"""What the organisations app announces, so that apps on higher floors can follow a change
without organisations calling them (the portal, for one, keeps each member municipality's
site in step with the organisation).

Sent synchronously, inside the service's transaction, not after commit: a member
municipality's portal site is part of making the municipality a member, so a receiver that
fails rolls the organisation change back, and whoever called the service finds the site
already there when it returns. A receiver that must not undo the change (a webhook, an
e-mail) should schedule its own work with `transaction.on_commit`.
"""

from django.dispatch import Signal

# organisation=Organisation, actor=User | None; sent once the new organisation is saved
# and audited
organisation_created = Signal()
# organisation=Organisation, actor=User | None, changes=dict[str, list] (the audited
# before/after of each changed field); sent only when something changed
organisation_updated = Signal()
