from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from audits.datasets import api_urls as datasets_api_urls
from audits.datasets import urls as datasets_urls
from audits.exits import api_urls as exits_api_urls
from audits.exits import urls as exits_urls
from audits.warnings import api_urls as warning_api_urls
from audits.warnings import urls as warning_urls
from gongyi import apis, views
from people import urls as people_urls
from people.onboarding import urls as onboarding_urls
from posts import urls as posts_urls
from subsidies.attendance import api_urls as attendance_api_urls
from subsidies.attendance import urls as attendance_urls
from subsidies.payout import api_urls as payout_api_urls
from subsidies.payout import bank_urls as payout_bank_urls
from subsidies.payout import report_urls as payout_report_urls
from subsidies.payout import urls as payout_urls

router = DefaultRouter()
router.register("regions", apis.RegionViewSet, basename="region")
router.register("audit-entries", apis.AuditEntryViewSet, basename="audit-entry")
router.register("auth/tokens", apis.ApiTokenViewSet, basename="api-token-own")
for prefix, viewset, basename in [
    *posts_urls.api_routes,
    *people_urls.api_routes,
    *onboarding_urls.api_routes,
    *attendance_api_urls.api_routes,
    *payout_api_urls.api_routes,
    *warning_api_urls.api_routes,
    *datasets_api_urls.api_routes,
    *exits_api_urls.api_routes,
]:
    router.register(prefix, viewset, basename=basename)

api_v1 = [
    path("auth/token/", apis.TokenView.as_view(), name="api-token"),
    path("me/", apis.MeView.as_view(), name="api-me"),
    *router.urls,
]

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/<str:code>/", views.RegionDetailView.as_view(), name="region-detail"),
    path(
        "history/<str:object_type>/<str:pk>/",
        views.ObjectHistoryView.as_view(),
        name="object-history",
    ),
    path("audit/", views.AuditLogView.as_view(), name="audit-log"),
    path("jobs/<int:pk>/", views.job_status, name="job-status"),
    path("settings/", views.PolicySettingsView.as_view(), name="policy-settings"),
    *posts_urls.urlpatterns,
    *people_urls.urlpatterns,
    *onboarding_urls.urlpatterns,
    *attendance_urls.urlpatterns,
    *payout_urls.urlpatterns,
    *datasets_urls.urlpatterns,
    path("payout/bank/", include(payout_bank_urls)),
    *warning_urls.urlpatterns,
    *exits_urls.urlpatterns,
    path("payout/reports/", include(payout_report_urls)),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's setup as a script file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
