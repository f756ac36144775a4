"""Huey's Django integration (djhuey) registers tasks by importing the `tasks` module of every
installed app; config is not an app, so the project's periodic schedule in config/schedule.py is
imported here to be registered with the consumer. Keep only this import in this module."""

import config.schedule  # noqa: F401
