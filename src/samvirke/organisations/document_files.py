"""Serving agreement documents: always as a download, never cached by shared caches.
Callers fetch the document through a selector first, which checks the user's reach."""

from django.http import FileResponse

from samvirke.organisations.models import AgreementDocument


def agreement_document_response(document: AgreementDocument) -> FileResponse:
    filename = document.file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
