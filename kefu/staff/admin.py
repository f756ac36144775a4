from django.contrib import admin

from kefu.staff.models import Agent, Assignment, SubAccount, Team


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "level", "hire_date", "status"]
    list_filter = ["agency", "level", "status"]
    search_fields = ["name"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["agent", "shop", "duty", "team", "active"]
    list_filter = ["shop", "duty"]


@admin.register(SubAccount)
class SubAccountAdmin(admin.ModelAdmin):
    list_display = ["nickname", "agent", "shop", "active"]
    list_filter = ["shop"]
    search_fields = ["nickname"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "shop", "leader"]
