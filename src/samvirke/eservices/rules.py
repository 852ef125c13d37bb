"""Who may author forms in the regional library: regional coordinators, and
administrators and coordinators of a member organisation (in their own right, not
through an arrangement)."""

import rules

from samvirke.accounts import access
from samvirke.accounts.models import Role

AUTHOR_ROLES = (Role.ADMINISTRATOR, Role.COORDINATOR, Role.REGIONAL_COORDINATOR)


@rules.predicate
def is_form_author(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return any(
        g.role in AUTHOR_ROLES and g.via_arrangement_id is None for g in access.grants_for(user)
    )


rules.add_perm("eservices.author_form", is_form_author)
