"""Settings for pytest: the real settings, with static files served from the source folders
(no collectstatic manifest) and a fast password hasher."""

import atexit
import shutil
import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# whitenoise serves from the app folders in tests (no collectstatic); an empty root keeps it quiet.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = VAR_DIR / "test-static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploads made by tests (case photos) go to a folder of this test run, removed at exit.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kefu-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, True)
