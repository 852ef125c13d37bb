"""Reading documents: the one query for the documents of a case (its own and its
submission's), which the case page, My cases and the integration API each narrow, and a
stored document as a download."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import FileResponse

from samvirke.cases.models import Case, Document


def document_response(document: Document, *, as_attachment: bool = True) -> FileResponse:
    """The stored file as a download (or shown in the browser with `as_attachment=False`),
    with its name and its sniffed type, and never kept by a shared cache. Callers fetch the
    document through a selector first, which checks the reader's reach, and audit the read
    where it is personal data. The file is passed open, not as an iterator: only then does
    FileResponse name the download (Content-Disposition) and give its length."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=as_attachment,
        filename=document.name,
        content_type=document.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def case_documents(case: Case) -> QuerySet[Document]:
    """The documents of a case: its own and those of the submission that opened it
    (uploads, the submitted form, the receipt), oldest first. Callers narrow it further
    (what an applicant may read, one document by id)."""
    return (
        Document.objects.filter(Q(case=case) | Q(submission__case=case))
        .distinct()
        .order_by("created_at", "id")
    )
