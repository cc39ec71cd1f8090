from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts import notice_views, verification_views
from accounts import views as accounts_views
from bookings.api import bookings as bookings_api
from bookings.api import centres as centre_api
from bookings.api import tokens as api_tokens
from bookings.privacy import history_views
from bookings.privacy import views as privacy_views
from companies import views as company_views
from wnh import health, metrics
from wnh.sitemaps import SITEMAPS


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's, for one)."""
    return redirect(static("favicon.svg"))


# JSON under /api/, pages elsewhere (wnh/failures.py).
handler400 = "wnh.failures.bad_request"
handler404 = "wnh.failures.page_not_found"
handler500 = "wnh.failures.server_error"

admin.site.site_header = "WNH Seats · K-DISC"
admin.site.site_title = "WNH Seats admin"
admin.site.index_title = "Work Near Home network"

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("start/", company_views.start, name="start"),
    path("centres/", include("bookings.centre_pages.urls")),
    path("bookings/", include("bookings.urls")),
    path("waitlist/", include("bookings.waitlist.urls")),
    path("companies/", include("bookings.company_pages.urls")),
    path("me/my-data.json", privacy_views.download_my_data, name="privacy_download"),
    path("me/erase/", privacy_views.erase_my_account, name="privacy_erase"),
    path("me/tokens/", api_tokens.tokens_page, name="api-tokens-page"),
    path("me/tokens/<str:token_key>/revoke/", api_tokens.revoke_page, name="api-token-revoke"),
    path("me/", include("accounts.urls")),
    path("privacy/", notice_views.notice, name="privacy_notice"),
    path("open-data/", include("bookings.open_data.urls")),
    # The pages a government site must have (GIGW): about, terms, accessibility, contact.
    path("", include("wnh.site_pages.urls")),
    # The installable app: its manifest, service worker and offline page (wnh/pwa/).
    path("", include("wnh.pwa.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("favicon.ico", favicon),
    path(
        "accounts/confirm-email/again/",
        verification_views.resend_verification,
        name="account_resend_verification",
    ),
    # Before allauth's own: staff may not remove their keys (accounts/views.py).
    path(
        "accounts/2fa/webauthn/keys/<int:pk>/remove/",
        accounts_views.remove_security_key,
        name="mfa_remove_webauthn",
    ),
    path("accounts/", include("allauth.urls")),
    # Before the admin's own: its login is the portal's (allauth: rate limits, second factor).
    path("admin/login/", accounts_views.admin_login),
    path("admin/history-export/", history_views.export_history, name="history-export"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("bookings.api.urls")),
    # The first three endpoints keep answering as they did (the referee bench calls them).
    path("api/centres/", centre_api.NearbyCentres.as_view(), name="api-centres"),
    path("api/bookings/", bookings_api.MyBookings.as_view(), name="api-bookings"),
    path(
        "api/bookings/<int:booking_id>/cancel/",
        bookings_api.CancelBooking.as_view(),
        name="api-booking-cancel",
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-v1-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
]
