"""Settings for the test suite: fast hashing, the development identity provider on,
mail kept in memory, tasks run immediately."""

from samvirke.conf.base import *  # noqa: F403
from samvirke.conf.environment import TEST_SECRET_KEY

SAMVIRKE_ENVIRONMENT = "test"
SECRET_KEY = TEST_SECRET_KEY
DEBUG = False
SAMVIRKE_DEV_IDP_ENABLED = True
# Fast hashing keeps the suite quick; test_passwords checks Argon2 in the real settings.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The test databases are made and migrated as DATABASE_URL's user, whatever the shell says.
SAMVIRKE_MIGRATE_DATABASE = None
