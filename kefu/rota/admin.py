from django.contrib import admin

from kefu.rota.models import Request, Roster, RosterShift


@admin.register(Roster)
class RosterAdmin(admin.ModelAdmin):
    list_display = ("shop", "month", "status", "solver_status", "objective", "published_at")
    list_filter = ("status",)


@admin.register(RosterShift)
class RosterShiftAdmin(admin.ModelAdmin):
    list_display = ("roster", "agent", "local_date", "shift_key")


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    list_display = ("shop", "kind", "agent", "start_date", "end_date", "status")
    list_filter = ("kind", "status")
