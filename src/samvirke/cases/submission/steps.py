"""The submission's extension points as plugins (docs/plugins.md): another app may hold a
submission back before its case opens (a *pre-case step*: the neighbour notification of
a building application), and then tell the applicant where to follow it (a *follow
link*: the notification's status page, linked from the receipt).

Both kinds are registered by the app that needs them, from its `AppConfig.ready()`;
`submission.services` runs them and re-exports them as its public surface."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from samvirke.cases.models import Submission
from samvirke.core.registry import Plugin, Registry


class PreCaseStep(Plugin):
    """Something that must happen before a submission's case opens."""

    def applies(self, submission: Submission) -> bool:
        """Runs inside the submit transaction (the submission may not be stored yet).
        True holds the submission back (state `awaiting_neighbours`) and no case is
        opened: the step's app starts its work and calls
        `submission.services.submission_open_case` when it is done. An exception undoes
        the whole submit."""
        raise NotImplementedError


pre_case_steps: Registry[PreCaseStep] = Registry(_("pre-case step"))


@dataclass(frozen=True)
class FollowLink:
    """Where the applicant follows a submission that a pre-case step holds back."""

    label: str
    url: str


class FollowLinkProvider(Plugin):
    """The page where the applicant follows a held submission, offered by the app that
    holds it: without it the applicant has no way to the page that sends it on."""

    def link(self, submission: Submission) -> FollowLink | None:
        """The link for this submission, or None when the provider does not hold it."""
        raise NotImplementedError


follow_links: Registry[FollowLinkProvider] = Registry(_("follow link"))
