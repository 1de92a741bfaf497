from .base import *  # noqa

DEBUG = False
SECRET_KEY = "@qy_u-o9twh13kb@^lkrv^6@9@mln0*=!4feuss#+3iocb@f+t"
ALLOWED_HOSTS = ["www.acme.io"]

EMAIL_HOST = "smtp.acme.io"
EMAIL_HOST_USER = "noreply@acme.io"
EMAIL_HOST_PASSWORD = "nRdzVf7dH4QC.kITysUf"
EMAIL_USE_TLS = True

SESSION_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = ["https://www.acme.io"]
