import gc
import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after the app is set up)

if not settings.DEBUG and settings.SECRET_KEY == settings.INSECURE_DEV_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off: refusing to serve with the development key.")

# Fewer, larger young-generation collections: a page that builds thousands of small objects (the workshop board of a
# busy station) otherwise pays several collections per request. Measured in bench/README.md (board p95 119 → 92 ms).
gc.set_threshold(*(int(v) for v in os.environ.get("GC_THRESHOLD", "50000,20,20").split(",")))
