from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from samvirke.portal import views as portal_views
from samvirke.portal.i18n import translated_patterns
from samvirke.web import views as web_views

urlpatterns = [
    path("health/", web_views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("i18n/page/", portal_views.page_language, name="page-language"),
    path("api/", include("samvirke.api.urls")),
    path("accounts/", include("samvirke.accounts.urls")),
    path("cooperation/", include("samvirke.organisations.urls")),
    path("e-services/", include("samvirke.eservices.urls")),
    path("e-services/", include("samvirke.cases.submission.urls")),
    path("my-cases/", include("samvirke.cases.mine.urls")),
    path("public-journal/", include("samvirke.cases.public_journal.urls")),
    path("neighbour-notice/", include("samvirke.neighbours.urls")),
    # our login (password + TOTP) stands in front of the back office's own
    path("admin/login/", web_views.admin_login_redirect, name="admin-login-redirect"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # per host: each portal site has its own sitemap and robots.txt
    path("sitemap.xml", portal_views.sitemap, name="sitemap"),
    path("robots.txt", portal_views.robots_txt, name="robots-txt"),
]

if settings.SAMVIRKE_DEV_IDP_ENABLED:
    urlpatterns.append(path("dev-idp/", include("samvirke.accounts.devidp.urls")))

urlpatterns += [path("", include("samvirke.web.urls"))]
# portal pages: bokmål unprefixed, translations under /nn/, /sv/ and /en/
urlpatterns += translated_patterns(path("", include(wagtail_urls)))

handler400 = "samvirke.web.views.bad_request"
handler403 = "samvirke.web.views.permission_denied"
handler404 = "samvirke.web.views.page_not_found"
handler500 = "samvirke.web.views.server_error"
