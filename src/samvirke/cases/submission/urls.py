"""Citizen e-service URLs under /e-services/: a municipality's e-services, an e-service's
start page, the steps, the review page, submitting, and the receipt."""

from django.urls import path

from samvirke.cases.submission import views

app_name = "submit"
DRAFT = "<slug:municipality>/<slug:form>/<uuid:key>/"
urlpatterns = [
    path("drafts/", views.drafts, name="drafts"),
    path("receipts/<uuid:key>/", views.receipt, name="receipt"),
    path("receipts/<uuid:key>/receipt.pdf", views.receipt_pdf, name="receipt-pdf"),
    path("<slug:municipality>/", views.municipality_services, name="municipality"),
    path("<slug:municipality>/<slug:form>/", views.start, name="start"),
    path(DRAFT + "step/<int:index>/", views.step, name="step"),
    # the review page's "change" links: step/<n>#field (no slash, so no redirect drops the #)
    path(DRAFT + "step/<int:index>", views.step, name="step-change"),
    path(DRAFT + "review/", views.review, name="review"),
    path(DRAFT + "delete/", views.draft_delete, name="draft-delete"),
]
