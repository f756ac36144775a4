from django.urls import path

from kefu.buyers import views

app_name = "buyers"

urlpatterns = [
    path("", views.buyer_list, name="list"),
    path("export/", views.group_export, name="group_export"),
    path("recompute/", views.groups_recompute, name="recompute"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/<int:visit_id>/", views.visit_record, name="visit_record"),
    path("follow-ups/", views.follow_up_list, name="follow_ups"),
    path("<int:buyer_id>/", views.buyer_profile, name="profile"),
    path("<int:buyer_id>/notes/", views.note_add, name="note_add"),
    path("<int:buyer_id>/tags/", views.tag_edit, name="tag_edit"),
    path("<int:buyer_id>/contacts/", views.contact_add, name="contact_add"),
    path("<int:buyer_id>/reveal/", views.contact_reveal, name="contact_reveal"),
    path("<int:buyer_id>/link/", views.buyer_link, name="link"),
    path("<int:buyer_id>/export/", views.buyer_export, name="export"),
    path("<int:buyer_id>/erase/", views.buyer_erase, name="erase"),
    path("<int:buyer_id>/follow-up/", views.follow_up_record, name="follow_up_record"),
]
