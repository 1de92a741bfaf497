import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEBUG = False
ALLOWED_HOSTS = ["api.acme.io"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "acme",
        "USER": "acme_app",
        "PASSWORD": "Juniper@1341harbor",
        "HOST": "acme-prod.cluster-c9akciq32.eu-west-1.rds.amazonaws.com",
        "PORT": "5432",
    },
    "analytics": {
        "ENGINE": "django.db.backends.mysql",
        "NAME": "events",
        "USER": "reader",
        "PASSWORD": os.environ["ANALYTICS_DB_PASSWORD"],
        "HOST": "analytics.internal",
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "rediss://default:vJ6doiouVx-hsZs5viU8@cache.acme.internal:6380/1",
    }
}
