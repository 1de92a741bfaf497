"""Signs service-to-service JWTs."""
import time

import jwt

PRIVATE_KEY = """-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIPvUOolYyr2qKltorli/HMfWPcSTiiYfG/7zb0w0lRXyoAoGCCqGSM49
AwEHoUQDQgAEZeMcl8yIEhWjqJhzwdJY+ADepwGiQW2pt5TR6LEIya1/IkSoqVQn
4Dg7qoxaTiFUq8VtRtT30jouR9ZdmTkoqA==
-----END EC PRIVATE KEY-----
"""

PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxoVpgOZs8DNf6IPGNWYN
HKlOMHD2ZxDMSaQQBLovOeIK+tArKaODNaBxCo3ePqEVQKUAEdTteHw27C66+SlP
Y0bwUmbxdnR1lX0ZgRdjgyXec6hmFIe5CD5XbRetWhzereC1w2E67vG6rWvku2Jb
N9B5VkmXjm5UB0tAv38Ssu6DtU7WSmI0lkYTRTQEuPGnF+yrdPtb+jnQdQMkK8dO
675v47Lcg2Nl0LI+fONboWgxtXf3gbaJPpBEGjWObdr2wAWZmss7ZsgmvDnEdwIn
GYwr363O93aRmp1ncmUMYkZGkCC+oyGq0gT3+Q3OPq80t3uT1OkGZ4IkrKWAmmZK
dgIDAQAB
-----END PUBLIC KEY-----
"""


def sign(sub: str) -> str:
    now = int(time.time())
    return jwt.encode({"sub": sub, "iat": now, "exp": now + 300}, PRIVATE_KEY, algorithm="ES256")
