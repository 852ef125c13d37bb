"""My cases (Mine saker) at /my-cases/: a citizen's own cases, with status, timeline,
messages (and replying), documents and the expected decision date.

Every page needs an eID login (level substantial). A citizen reaches only their own
cases: another citizen's case or document answers 404, exactly like one that does not
exist. Opening one's own case is not audited (it is not a staff read of someone else's
data); downloading a document is. The pages work without JavaScript."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from samvirke.accounts.oidc.decorators import eid_login_required
from samvirke.cases.documents.selectors import document_response
from samvirke.cases.documents.uploads import UploadRefused
from samvirke.cases.mine import selectors as citizen_selectors
from samvirke.cases.mine import services as citizen_services
from samvirke.cases.mine.services import REPLY_LIMITS
from samvirke.cases.models import Phase

PAGE_SIZE = 20


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the reply's attachment rules."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your message"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 6}),
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Attachments"),
        required=False,
        help_text=gettext_lazy("At most %(n)s files of up to %(size)s MB each: PDF, JPEG or PNG.")
        % {"n": REPLY_LIMITS.max_files, "size": REPLY_LIMITS.max_size_mb},
        widget=MultipleFileInput(
            attrs={"class": "ds-input", "accept": ",".join(REPLY_LIMITS.allowed_types)}
        ),
    )

    def clean(self):
        data = super().clean()
        uploads = data.get("attachments") or []
        for problem in citizen_services.reply_attachment_problems(uploads):
            self.add_error("attachments", problem)
        if not (data.get("body") or "").strip() and not uploads and not self.errors:
            self.add_error("body", _("Write a message or attach a file."))
        return data


def _own_cases(request):
    return citizen_selectors.citizen_cases(request.user)


def _with_citizen_view(case):
    case.citizen_status = citizen_selectors.citizen_status_text(case)
    case.citizen_phase = citizen_selectors.citizen_phase(case)
    return case


@require_GET
@eid_login_required("substantial")
def my_cases(request):
    paginator = Paginator(_own_cases(request), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    for case in page.object_list:
        _with_citizen_view(case)
    return render(request, "cases/mine/list.html", {"page": page, "Phase": Phase})


@require_http_methods(["GET", "POST"])
@eid_login_required("substantial")
def my_case(request, pk: int):
    case = _with_citizen_view(get_object_or_404(_own_cases(request), pk=pk))
    form = ReplyForm()
    if request.method == "POST":
        form = ReplyForm(request.POST, request.FILES)
        if case.citizen_phase == Phase.CLOSED:
            form.add_error(
                None, _("This case is closed. Send a new message to the municipality instead.")
            )
        checked = []
        if form.is_valid():
            # every file checked (and a virus audited) before anything is stored; any
            # refusal keeps the whole reply back, with a message for each refused file
            for upload in form.cleaned_data["attachments"]:
                try:
                    checked.append(
                        citizen_services.reply_attachment_check(
                            case=case, upload=upload, actor=request.user
                        )
                    )
                except UploadRefused as refused:
                    form.add_error("attachments", refused.message)
        if form.is_valid():
            try:
                with transaction.atomic():
                    documents = [
                        citizen_services.reply_attachment_store(
                            case=case, checked=file, actor=request.user
                        )
                        for file in checked
                    ]
                    citizen_services.applicant_reply(
                        case=case,
                        body=form.cleaned_data["body"],
                        documents=documents,
                        actor=request.user,
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your message was sent to the case handler."))
                return redirect("cases_mine:case", pk=case.pk)
    unread_ids = citizen_selectors.citizen_unread_message_ids(case)
    if unread_ids and request.method == "GET":
        citizen_services.case_messages_mark_read(case=case, actor=request.user)
    decision = getattr(case, "decision", None) if case.decided_at else None
    return render(
        request,
        "cases/mine/case.html",
        {
            "case": case,
            "Phase": Phase,
            "messages_list": citizen_selectors.citizen_messages(case),
            "unread_ids": unread_ids,
            "timeline": citizen_selectors.citizen_timeline(case),
            "documents": list(citizen_selectors.citizen_documents(case)),
            "decision": decision,
            "form": form,
            "may_reply": case.citizen_phase != Phase.CLOSED,
        },
        status=400 if form.errors else 200,
    )


@require_GET
@eid_login_required("substantial")
def my_case_document(request, pk: int, document_id: int):
    case = get_object_or_404(_own_cases(request), pk=pk)
    document = get_object_or_404(citizen_selectors.citizen_documents(case), pk=document_id)
    citizen_services.citizen_document_read(case=case, document=document, actor=request.user)
    return document_response(document)
