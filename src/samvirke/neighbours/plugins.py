"""The neighbours app's plugins in the submission of an e-service form: a building
application that names neighbours waits for them before its case opens (a pre-case
step), and its receipt links to the page where the applicant follows them (a follow
link). Imported from `NeighboursConfig.ready()`, which registers them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samvirke.cases.models import Submission
from samvirke.cases.submission.services import (
    FollowLink,
    FollowLinkProvider,
    PreCaseStep,
    follow_links,
    pre_case_steps,
)
from samvirke.neighbours.selectors import status_link
from samvirke.neighbours.services import neighbour_notification_pre_case_step


@pre_case_steps.register("neighbour-notification")
class NeighbourNotificationStep(PreCaseStep):
    """Holds a building application that names neighbours and starts their notification."""

    verbose_name = _("Neighbour notification")

    def applies(self, submission: Submission) -> bool:
        return neighbour_notification_pre_case_step(submission)


@follow_links.register("neighbour-notification")
class NeighbourNotificationStatusLink(FollowLinkProvider):
    """The applicant's status page of the neighbour notification."""

    verbose_name = _("Neighbour notification status page")

    def link(self, submission: Submission) -> FollowLink | None:
        return status_link(submission)
