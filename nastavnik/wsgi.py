import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")

try:
    # Django refuses to read an empty key: reading it now makes a server without one fail at
    # start rather than at the first login.
    settings.SECRET_KEY  # noqa: B018
except ImproperlyConfigured as error:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set (or NASTAVNIK_DEV=1 for a developer machine)."
    ) from error

application = get_wsgi_application()

# Each gunicorn worker imports this module once it has started: its start-up objects are frozen
# (nastavnik/base/collector.py) before it serves its first request.
from nastavnik.base.collector import freeze_startup_objects  # noqa: E402 - needs Django set up

freeze_startup_objects()
