from django.urls import path

from kefu.knowledge import exam_views, views

app_name = "knowledge"

urlpatterns = [
    path("phrases/", views.phrase_list, name="phrases"),
    path("phrases/new/", views.phrase_edit, name="phrase_new"),
    path("phrases/seed/", views.phrase_seed, name="phrase_seed"),
    path("phrases/export/", views.phrase_export, name="phrase_export"),
    path("phrases/import/", views.phrase_import, name="phrase_import"),
    path("phrases/<int:phrase_id>/", views.phrase_edit, name="phrase_edit"),
    path("phrases/<int:phrase_id>/archive/", views.phrase_archive, name="phrase_archive"),
    path("phrases/<int:phrase_id>/use/", views.phrase_use, name="phrase_use"),
    path("products/", views.product_list, name="products"),
    path("products/new/", views.product_edit, name="product_new"),
    path("products/import/", views.product_import, name="product_import"),
    path("products/<int:product_id>/", views.product_detail, name="product"),
    path("products/<int:product_id>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:product_id>/faq/", views.product_faq_add, name="product_faq_add"),
    path("products/<int:product_id>/confirm/", views.product_confirm, name="product_confirm"),
    path("products/<int:product_id>/stock/", views.product_stock, name="product_stock"),
    path("exams/", exam_views.exam_list, name="exams"),
    path("exams/new/", exam_views.exam_create, name="exam_create"),
    path("exams/<int:exam_id>/", exam_views.exam_detail, name="exam"),
    path("exams/<int:exam_id>/questions/", exam_views.question_add, name="question_add"),
    path(
        "exams/<int:exam_id>/questions/from-policy/",
        exam_views.question_from_policy,
        name="question_from_policy",
    ),
    path(
        "exams/<int:exam_id>/questions/<int:question_id>/delete/",
        exam_views.question_delete,
        name="question_delete",
    ),
    path("exams/<int:exam_id>/status/", exam_views.exam_status, name="exam_status"),
    path("exams/<int:exam_id>/take/", exam_views.exam_take, name="exam_take"),
    path(
        "exams/<int:exam_id>/attempts/<int:attempt_id>/",
        exam_views.attempt_mark,
        name="attempt_mark",
    ),
]
