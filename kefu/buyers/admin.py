from django.contrib import admin

from kefu.buyers.models import (
    BuyerContact,
    BuyerLink,
    BuyerNote,
    BuyerProfile,
    BuyerTag,
    FollowUp,
    GroupMembership,
    ReturnVisit,
)

for model in (
    BuyerProfile,
    BuyerNote,
    BuyerContact,
    BuyerTag,
    GroupMembership,
    BuyerLink,
    ReturnVisit,
    FollowUp,
):
    admin.site.register(model)
