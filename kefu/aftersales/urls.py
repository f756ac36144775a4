from django.urls import path

from kefu.aftersales import ledger_views, views

app_name = "aftersales"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("<int:case_id>/", views.case_detail, name="case"),
    path("<int:case_id>/steps/", views.case_step, name="step"),
    path("<int:case_id>/chat/", views.case_chat, name="chat"),
    path("<int:case_id>/photos/", views.photo_upload, name="photo_upload"),
    path("<int:case_id>/photos/<int:photo_id>/", views.photo_file, name="photo"),
    path("<int:case_id>/fault/", views.case_fault, name="fault"),
    path("<int:case_id>/resolve/", views.case_resolve, name="resolve"),
    path("<int:case_id>/payments/", views.case_payment, name="payment"),
    path("ledger/", ledger_views.ledger_list, name="ledger"),
    path("ledger/export/", ledger_views.ledger_export, name="ledger_export"),
    path("ledger/<int:payment_id>/sign/", ledger_views.payment_sign, name="payment_sign"),
    path("ledger/<int:payment_id>/reverse/", ledger_views.payment_reverse, name="payment_reverse"),
]
