"""System checks for a deployment (`samvirke check --deploy`): the published demo and
test keys and the development identity provider are errors, whatever the settings module
(Django's own check accepts the demo key: it is long enough)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from samvirke.conf.environment import dev_idp_problem, secret_key_problem


@register(Tags.security, deploy=True)
def check_deploy_secrets(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    problem = secret_key_problem(getattr(settings, "SECRET_KEY", ""))
    if problem:
        errors.append(
            Error(problem, hint="Generate a key (docs/operations.md).", id="samvirke.E001")
        )
    problem = dev_idp_problem(getattr(settings, "SAMVIRKE_DEV_IDP_ENABLED", False))
    if problem:
        errors.append(
            Error(problem, hint="Configure a real eID provider instead.", id="samvirke.E002")
        )
    return errors
