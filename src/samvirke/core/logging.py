"""Log records carry the request id, so one request's lines can be found together."""

import logging

from samvirke.core.request_context import current_context


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_context().request_id or "-"
        return True
