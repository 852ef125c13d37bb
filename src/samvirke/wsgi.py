"""The WSGI application. Production settings unless DJANGO_SETTINGS_MODULE names others
(the demo's or the tests'): a server started without it fails closed."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvirke.conf.production")
application = get_wsgi_application()
