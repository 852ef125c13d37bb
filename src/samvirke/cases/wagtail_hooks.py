"""The service square's back-office hooks live beside the screens they belong to:
service offerings (switching forms on per municipality) and case handling."""

from samvirke.cases import handling_admin, offering_admin  # noqa: F401  (they register hooks)
