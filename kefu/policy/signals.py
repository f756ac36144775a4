"""Signals other apps listen to, so the policy app imports none of them."""

from __future__ import annotations

from django.dispatch import Signal

policy_adopted = Signal()
"""Sent inside policy_adopt's transaction once a new version is stored: `version` (a
PolicyVersion). Receivers may write (e.g. mark days for a KPI recompute); an error rolls the
adoption back, so they must not fail on ordinary data."""
