"""Page types of the regional portal and the municipal sites.

Each member municipality has its own Wagtail `Site` with a `HomePage` that points at its
`organisations.Organisation`; the regional portal's `HomePage` is marked `is_regional`.
Under a home page live the usual sections: news, events, the service catalogue
(tjenestekatalog), a contact page fed from the organisation's public units, and the
accessibility statement (tilgjengelighetserklæring) the law asks of every public website.

Regional news articles can be shared with all or chosen municipal sites; municipal home
pages and news lists then show them, marked "From the region".
"""

from __future__ import annotations

from types import ModuleType
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from samvirke.cases.models import ServiceOffering
from samvirke.cases.offerings.selectors import offering_url
from samvirke.portal.blocks import RICH_TEXT_FEATURES, BodyBlock
from samvirke.portal.errors import PortalErrorCode
from samvirke.portal.links import absolute_link


class PortalPage(Page):
    """Abstract base: every portal page knows its home page (and so its organisation).

    A page renders with the portal's reads (`reads`: `portal.selectors`; `feeds`:
    `portal.feeds`), which query these page types and so import this module. They are
    handed to the page types in `PortalConfig.ready` instead of being imported here, so
    that the page types stay below their reads and no two modules import each other."""

    reads: ClassVar[ModuleType]
    feeds: ClassVar[ModuleType]

    class Meta:
        abstract = True

    def portal_home(self) -> HomePage | None:
        if isinstance(self, HomePage):
            return self
        return HomePage.objects.ancestor_of(self).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["portal_home"] = self.portal_home()
        return context


class HomePage(RoutablePageMixin, PortalPage):
    """The front page of the regional portal or of one municipality's site."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portal_home_pages",
        verbose_name=_("organisation"),
        help_text=_("The municipality this site belongs to. Empty for the regional portal."),
    )
    is_regional = models.BooleanField(
        _("regional portal"),
        default=False,
        help_text=_("The region's shared portal rather than one municipality's site."),
    )
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    key_services = ParentalManyToManyField(
        "portal.ServicePage",
        blank=True,
        related_name="featured_on",
        verbose_name=_("key services"),
        help_text=_(
            "Services shown on the front page. Empty: the first services in the catalogue."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("key_services"),
    ]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel([FieldPanel("organisation"), FieldPanel("is_regional")], _("Site owner"))
    ]
    subpage_types = [
        "portal.StandardPage",
        "portal.NewsIndexPage",
        "portal.EventIndexPage",
        "portal.ServiceIndexPage",
        "portal.ContactPage",
        "portal.AccessibilityStatementPage",
        "portal.SearchPage",
    ]
    parent_page_types = ["wagtailcore.Page"]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_regional=True, organisation__isnull=True)
                | Q(is_regional=False, organisation__isnull=False),
                name="portal_home_regional_xor_organisation",
            )
        ]

    def clean(self):
        super().clean()
        if self.is_regional == bool(self.organisation_id):
            raise ValidationError(
                _("A home page belongs to one municipality or is the regional portal."),
                code=PortalErrorCode.HOME_OWNER,
            )

    def site_name(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        return self.title

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.reads.home_context(home=self))
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("feed/", name="feed")
    def feed(self, request):
        """The site's news as RSS 2.0 (with the region's shared articles)."""
        return self.feeds.news_feed_response(request, home=self)

    @path("feed/atom/", name="atom-feed")
    def atom_feed(self, request):
        """The same news as an Atom 1.0 feed."""
        return self.feeds.news_feed_response(request, home=self, kind="atom")

    @path("from-the-region/<int:article_id>/", name="shared-article")
    def shared_article(self, request, article_id: int):
        """A regional article shared with this municipality, shown on its own host. The
        canonical link points to the article's regional URL."""
        if self.organisation_id is None:
            raise Http404
        article = self.reads.shared_article_get(
            organisation=self.organisation, article_id=article_id, locale=self.locale
        )
        context = article.get_context(request)
        context.update(
            {
                "page": article,
                "portal_home": self,
                "shared_on": self,
                "canonical_url": absolute_link(article, request),
            }
        )
        return render(request, article.get_template(request), context)


class StandardPage(PortalPage):
    """An ordinary content page: headings, text and info boxes. On the regional portal a
    theme page can be shared with every municipal site or with chosen ones."""

    lead = models.TextField(_("lead"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    share_with_all = models.BooleanField(
        _("show on every municipal site"),
        default=False,
        help_text=_("Regional articles only: every member municipality's site shows it."),
    )
    shared_to = ParentalManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="shared_portal_pages",
        verbose_name=_("show on these municipal sites"),
        help_text=_("Regional articles only: the municipalities whose sites show it."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("share_with_all"), FieldPanel("shared_to")], _("Sharing (regional)")
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("lead"), index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class NewsIndexPage(PortalPage):
    intro = models.TextField(_("introduction"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["portal.NewsArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news list")
        verbose_name_plural = _("news lists")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = self.reads.news_items(home=context["portal_home"], index=self)
        context["items"] = Paginator(items, 10).get_page(request.GET.get("page"))
        return context


class NewsArticlePage(PortalPage):
    """A news article. On the regional portal an article can be shared with every
    municipal site or with chosen ones."""

    date = models.DateField(_("date"), default=timezone.localdate)
    lead = models.TextField(_("lead"))
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    share_with_all = models.BooleanField(
        _("show on every municipal site"),
        default=False,
        help_text=_("Regional articles only: every member municipality's site shows it."),
    )
    shared_to = ParentalManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="shared_portal_articles",
        verbose_name=_("show on these municipal sites"),
        help_text=_("Regional articles only: the municipalities whose sites show it."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("lead"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("share_with_all"), FieldPanel("shared_to")], _("Sharing (regional)")
        ),
    ]
    parent_page_types = ["portal.NewsIndexPage"]
    search_fields = Page.search_fields + [index.SearchField("lead"), index.SearchField("body")]

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        ordering = ["-date"]

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.pk else None
        home = HomePage.objects.ancestor_of(parent, inclusive=True).first() if parent else None
        if self.share_with_all and home is not None and not home.is_regional:
            raise ValidationError(
                {"share_with_all": _("Only articles on the regional portal can be shared.")},
                code=PortalErrorCode.SHARE_NOT_REGIONAL,
            )


class EventIndexPage(PortalPage):
    intro = models.TextField(_("introduction"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["portal.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("event list")
        verbose_name_plural = _("event lists")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["events"] = self.reads.upcoming_events(root=self, limit=None)
        return context


class EventPage(PortalPage):
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    lead = models.TextField(_("lead"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("start"),
        FieldPanel("end"),
        FieldPanel("place"),
        FieldPanel("lead"),
        FieldPanel("body"),
    ]
    parent_page_types = ["portal.EventIndexPage"]
    search_fields = Page.search_fields + [index.SearchField("lead"), index.SearchField("place")]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        if self.end and self.start and self.end < self.start:
            raise ValidationError(
                {"end": _("An event cannot end before it starts.")}, code=PortalErrorCode.END
            )


class ServiceIndexPage(PortalPage):
    """The service catalogue (tjenestekatalog) of one site."""

    intro = models.TextField(_("introduction"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["portal.ServicePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("service catalogue")
        verbose_name_plural = _("service catalogues")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = self.reads.service_list(index=self)
        return context


class ServicePage(PortalPage):
    """One service a citizen or business can use: what it is, who it is for, how to
    apply, the legal basis, fees and processing time, and who is responsible."""

    summary = models.TextField(_("what the service is"))
    audience = RichTextField(_("who it is for"), blank=True, features=RICH_TEXT_FEATURES)
    how_to_apply = RichTextField(_("how to apply"), blank=True, features=RICH_TEXT_FEATURES)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    fees = models.CharField(_("fees"), max_length=300, blank=True)
    processing_time = models.CharField(_("processing time"), max_length=200, blank=True)
    responsible_unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portal_services",
        limit_choices_to={"is_public": True},  # editors of every site see only public units
        verbose_name=_("responsible unit"),
        help_text=_("A public unit of this site's municipality."),
    )
    eservice_url = models.URLField(
        _("e-service form"),
        blank=True,
        help_text=_("Address of the electronic form for this service, if there is one."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("how_to_apply"),
        FieldPanel("legal_basis"),
        FieldPanel("fees"),
        FieldPanel("processing_time"),
        FieldPanel("responsible_unit"),
        FieldPanel("eservice_url"),
    ]
    parent_page_types = ["portal.ServiceIndexPage"]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("audience"),
        index.SearchField("how_to_apply"),
    ]

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def eservice_link(self, home: HomePage | None = None) -> str:
        """Where "Apply online" leads: the editor's address if set, else the e-service of
        the same name (slug) that the site's municipality has switched on, if any."""
        if self.eservice_url:
            return self.eservice_url
        home = home or self.portal_home()
        if home is None or home.organisation_id is None:
            return ""
        offering = (
            ServiceOffering.objects.filter(
                organisation_id=home.organisation_id, form__slug=self.slug, is_active=True
            )
            .select_related("organisation", "form")
            .first()
        )
        return offering_url(offering) if offering else ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["eservice_link"] = self.eservice_link(context["portal_home"])
        return context

    def clean(self):
        super().clean()
        unit = self.responsible_unit
        if unit is None:
            return
        parent = self.get_parent() if self.pk else None
        home = HomePage.objects.ancestor_of(parent, inclusive=True).first() if parent else None
        if not unit.is_public or (home and home.organisation_id != unit.organisation_id):
            raise ValidationError(
                {"responsible_unit": _("Choose a public unit of this site's municipality.")},
                code=PortalErrorCode.UNIT_OTHER_ORGANISATION,
            )


class ContactPage(PortalPage):
    """Contact details, fed from the organisation's register of public units."""

    intro = models.TextField(_("introduction"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("contact page")
        verbose_name_plural = _("contact pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.reads.contact_context(home=context["portal_home"]))
        return context


class AccessibilityStatementPage(PortalPage):
    """The accessibility statement (tilgjengelighetserklæring) of one site."""

    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    content_panels = Page.content_panels + [FieldPanel("last_reviewed"), FieldPanel("body")]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")


class SearchPage(PortalPage):
    """Search on this site; on the regional portal, across every site in the region."""

    max_count_per_parent = 1

    class Meta:
        verbose_name = _("search page")
        verbose_name_plural = _("search pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "").strip()[:200]
        home = context["portal_home"]
        context["query"] = query
        context["results"] = self.reads.page_search(query=query, home=home) if query else []
        return context
