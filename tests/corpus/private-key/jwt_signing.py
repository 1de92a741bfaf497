"""Signs service-to-service JWTs."""
import time

import jwt

PRIVATE_KEY = """-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIJFxbgLy0oBEi6vuZwUP76cjFyuYCLzpq1stKmOZivnEoAoGCCqGSM49
AwEHoUQDQgAEW4bPnMkJEQUDrDBGISLifJmrexHykux82T1HcrcPvOJIZ992Qeka
vpuAOq886+1DEBL1dm6x8NxIhQPhwDELlQ==
-----END EC PRIVATE KEY-----
"""

PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAQcLgHvZDEAnmMD4X2RZf
pdvlHBu/H3A6y5F1r8SaBqM/bxRcyFVqwI453vv8wc8Z6/qoP9/FniIh7qq9KClx
/vv2mwWg9ULtVGxUhmwQUvY9w5r4bj1xIyUMFwgVBnOnYJ1P8YidkcRwvPhTNhuL
7oSl+IHmsA9dE4Szl2UJx4zLTwnv6btkXSp1V6zwwe4fXTLT1gfREeTyJ5VELBj+
MC2SnicoEJptdjNpB1NmKbPyB2O3VZ5tYzrsNp0AqmgyYz3OSLSGUT7MU08BCm62
HaExXTY/5Z1u5L7R7xYCjQPrunG/q33Z0pPWUQvGTMqs22gEwOSLI1tYDsOjAfi8
oQIDAQAB
-----END PUBLIC KEY-----
"""


def sign(sub: str) -> str:
    now = int(time.time())
    return jwt.encode({"sub": sub, "iat": now, "exp": now + 300}, PRIVATE_KEY, algorithm="ES256")
