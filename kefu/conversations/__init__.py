"""Conversations: chat messages, rounds and the KPI engine (`kefu.conversations.kpi`, pure Polars).

The Django side (importers, models, services) comes later; the engine imports nothing from it.
"""
