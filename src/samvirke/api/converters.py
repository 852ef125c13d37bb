"""Path converter for object ids: at most 18 digits, so a too-large number is a 404
rather than a database overflow."""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
