from .base import *  # noqa

DEBUG = False
SECRET_KEY = "7uu)7*ja+d=zmo&lqjk+**-3swc9kv^&dh#mo=2lm2dg%_=qfh"
ALLOWED_HOSTS = ["www.acme.io"]

EMAIL_HOST = "smtp.acme.io"
EMAIL_HOST_USER = "noreply@acme.io"
EMAIL_HOST_PASSWORD = "zXxrR9RqB9xI_Ny8MUb2"
EMAIL_USE_TLS = True

SESSION_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = ["https://www.acme.io"]
