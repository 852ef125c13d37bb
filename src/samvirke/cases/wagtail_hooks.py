"""The service square's back-office hooks live beside the screens they belong to:
service offerings (switching forms on per municipality) and case handling."""

from samvirke.cases.handling import admin as handling_admin  # noqa: F401  (registers hooks)
from samvirke.cases.offerings import admin as offering_admin  # noqa: F401  (registers hooks)
