"""Who may export a municipality's archive: its administrators, and the regional
coordinator. The management command runs as the operator (no user) and is not asked."""

import rules

from samvirke.accounts.rules import administers_organisation, is_regional_coordinator

rules.add_perm("archive.export_archive", administers_organisation | is_regional_coordinator)
