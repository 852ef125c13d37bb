"""The Content-Security-Policy of every page (django-csp).

Citizen pages, the sign-in pages and the API documentation get the strict policy of
`CONTENT_SECURITY_POLICY` (settings): scripts and styles from this site only, inline code
only with the per-response nonce (`request.csp_nonce`), no 'unsafe-inline', no eval.

Wagtail's admin (the back office, `/admin/`) gets a relaxed policy: Wagtail's own templates
and widgets still use inline `style` attributes and a few inline scripts, so 'unsafe-inline'
is allowed there for scripts and styles (and only there), and the admin may frame itself
(the page editor's preview). Everything else of the strict policy (no plugins, no foreign
base URI, sources from this site) holds for it too. See docs/operations.md,
"Content-Security-Policy".
"""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

# Paths served by Wagtail's admin (our back-office screens live inside it)
RELAXED_PREFIXES = ("/admin/",)
RELAXED_DIRECTIVES = {
    # no nonce here: with a nonce present, browsers ignore 'unsafe-inline'
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    # the page editor shows its preview in a frame of the admin itself
    "frame-ancestors": [SELF],
}


def relaxed_policy_for(path: str) -> bool:
    return path.startswith(RELAXED_PREFIXES)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if relaxed_policy_for(request.path_info):
            parts.replace = {**(parts.replace or {}), **RELAXED_DIRECTIVES}
        return parts
