"""The public journal at /public-journal/ (across the region) and
/public-journal/<municipality>/ (one municipality), and access requests from it.

No login: the journal is public (offentleglova § 10). A list shows one journal day by
default (the latest with entries), or what the visitor searched for: a date or a range,
words in the public title, a case number. Screening is applied in `public_journal`,
before anything reaches a template. Each entry has a "Request access" link to a small
form that files an access request (innsynskrav) in the entry's owning municipality."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from samvirke.cases.errors import CasesErrorCode
from samvirke.cases.models import Case, JournalEntry, OnlineNames
from samvirke.cases.public_journal import selectors as public_journal
from samvirke.cases.public_journal import services as access_requests
from samvirke.core import ratelimit
from samvirke.organisations.models import Organisation

PAGE_SIZE = 50
SESSION_REQUESTS = "access_requests_filed"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "ds-input", **(attrs or {})}, format="%Y-%m-%d")


class JournalFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Words in the title"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "ds-input", "type": "search"}),
    )
    case = forms.CharField(
        label=gettext_lazy("Case number"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("For example 2026/00012, or 2026/12-3 for one document."),
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )
    date_from = forms.DateField(
        label=gettext_lazy("From journal date"), required=False, widget=DateInput()
    )
    date_to = forms.DateField(
        label=gettext_lazy("To journal date"), required=False, widget=DateInput()
    )

    def clean_case(self):
        value = self.cleaned_data["case"].strip()
        if value and public_journal.parse_reference(value) is None:
            raise ValidationError(
                _("Write the case number as in the journal, for example 2026/00012."),
                code=CasesErrorCode.INVALID_REFERENCE,
            )
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data

    def query(self) -> public_journal.JournalQuery:
        data = self.cleaned_data
        return public_journal.JournalQuery(
            text=(data.get("q") or "").strip(),
            reference=data.get("case") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


def _render(request, template: str, context: dict, *, noindex: bool, status: int = 200):
    """Renders a public journal page. A page that shows the name of a private person is
    kept out of search engines (offentlegforskrifta § 7): `<meta name="robots"
    content="noindex">` in its head and an `X-Robots-Tag: noindex` header."""
    response = render(request, template, {**context, "robots_noindex": noindex}, status=status)
    if noindex:
        response["X-Robots-Tag"] = "noindex"
    return response


def _day_link(base: str, day) -> str:
    value = day.isoformat()
    return f"{base}?{urlencode({'date_from': value, 'date_to': value})}"


def _journal(request, organisation: Organisation | None):
    entries = public_journal.public_entries(organisation=organisation)
    base = request.path
    form = JournalFilterForm(request.GET or None)
    query = public_journal.JournalQuery()
    if form.is_bound and form.is_valid():
        query = form.query()
    searched = not query.is_empty
    default_day = None
    if not searched and not form.errors:
        default_day = public_journal.latest_journal_day(entries)
        if default_day is not None:
            query = public_journal.JournalQuery(date_from=default_day, date_to=default_day)
    results = entries.none() if form.errors else public_journal.journal_search(entries, query)
    day = query.single_day
    earlier = later = None
    if day is not None:
        earlier, later = public_journal.neighbour_days(entries, day)
    paginator = Paginator(results, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = [public_journal.public_entry(e) for e in page.object_list]
    keep = request.GET.copy()
    keep.pop("page", None)
    return _render(
        request,
        "cases/journal/list.html",
        {
            "organisation": organisation,
            "municipalities": public_journal.journal_municipalities()
            if organisation is None
            else (),
            "form": form,
            "page": page,
            "query": keep.urlencode(),
            "searched": searched,
            "day": day,
            "default_day": default_day,
            "earlier_link": _day_link(base, earlier) if earlier else "",
            "later_link": _day_link(base, later) if later else "",
            "earlier": earlier,
            "later": later,
        },
        noindex=public_journal.shows_private_names(page.object_list),
        status=400 if form.errors else 200,
    )


@require_GET
def journal_region(request):
    return _journal(request, None)


@require_GET
def journal_for_municipality(request, slug: str):
    try:
        organisation = public_journal.journal_municipality(slug)
    except Organisation.DoesNotExist as error:
        raise Http404 from error
    return _journal(request, organisation)


class AccessRequestForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Your name"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "You may ask anonymously. A name you give is recorded as the sender of the "
            "request in the municipality's journal, but not published in the public "
            "journal on the internet."
        ),
        widget=forms.TextInput(attrs={"class": "ds-input", "autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail for the answer"),
        help_text=gettext_lazy("The answer and the documents are sent here."),
        widget=forms.EmailInput(attrs={"class": "ds-input", "autocomplete": "email"}),
        error_messages={
            "required": gettext_lazy("Enter the e-mail address the answer should go to.")
        },
    )
    message = forms.CharField(
        label=gettext_lazy("Message"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("For example which parts you need, or the format you would like."),
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 4}),
    )
    key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, names_shown: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if names_shown:
            # the access offering's case type publishes names (see models/privacy.py)
            self.fields["name"].help_text = _(
                "You may ask anonymously. A name you give is shown as the sender of the "
                "request in the public journal on the internet."
            )


@require_http_methods(["GET", "POST"])
def access_request(request, pk: int):
    try:
        entry = public_journal.public_entry_get(pk)
    except JournalEntry.DoesNotExist as error:
        raise Http404 from error
    shown = public_journal.public_entry(entry)
    organisation = entry.organisation
    try:
        access_offering, _route = access_requests.access_route_for(organisation)
    except access_requests.NoAccessRequestService:
        return _render(
            request,
            "cases/journal/access_unavailable.html",
            {
                "entry": shown,
                "organisation": organisation,
                "contact": access_requests.access_contact_text(organisation),
            },
            noindex=shown.shows_private_names,
        )
    names_shown = access_offering.case_type.online_names == OnlineNames.SHOWN
    limited = None
    if request.method == "POST":
        form = AccessRequestForm(request.POST, names_shown=names_shown)
        verdict = ratelimit.rate_limit_hit(ratelimit.Scope.ACCESS_REQUEST, request)
        if verdict.limited:  # the form comes back with what was typed, nothing is filed
            limited = verdict
            form.is_valid()
            form.add_error(None, ratelimit.rate_limited_message(verdict))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                case = access_requests.access_request_file(
                    entry=entry,
                    email=data["email"],
                    name=data["name"],
                    message=data["message"],
                    key=data["key"],
                    actor=request.user,
                    language=request.LANGUAGE_CODE,
                )
            except access_requests.NoAccessRequestService as error:
                form.add_error(None, error)
            else:
                filed = request.session.get(SESSION_REQUESTS, [])
                if case.pk not in filed:
                    request.session[SESSION_REQUESTS] = [*filed[-19:], case.pk]
                return redirect("cases_journal:access-received", pk=case.pk)
    else:
        form = AccessRequestForm(initial={"key": uuid.uuid4()}, names_shown=names_shown)
    response = _render(
        request,
        "cases/journal/access_request.html",
        {
            "entry": shown,
            "organisation": organisation,
            "form": form,
            "journal_url": reverse("cases_journal:municipality", args=[organisation.slug]),
            "is_citizen": getattr(request.user, "is_citizen", False),
        },
        noindex=shown.shows_private_names,
        status=400 if form.errors else 200,
    )
    return limited.apply(response) if limited else response


@require_GET
def access_request_received(request, pk: int):
    """The confirmation page; only the browser that filed the request sees it."""
    try:
        case = public_journal.access_request_case_get(
            pk=pk, filed_case_ids=request.session.get(SESSION_REQUESTS, [])
        )
    except Case.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "cases/journal/access_received.html",
        {
            "case": case,
            "organisation": case.organisation,
            "journal_url": reverse("cases_journal:municipality", args=[case.organisation.slug]),
        },
    )
