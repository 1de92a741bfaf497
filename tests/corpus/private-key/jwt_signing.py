"""Signs service-to-service JWTs."""
import time

import jwt

PRIVATE_KEY = """-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIC1M8UFD6k78uQOnoDVPGvOTzZSmgbsFtuypZmRqKbd7oAoGCCqGSM49
AwEHoUQDQgAE/ZgPewlyKsLW3wisiiXTgTf+YfPu3Sn8KdJxWbxjaCMGp64lzTrO
JEQE5L5vdfZvSrvfP1Wu3XW+axW3p2hpFA==
-----END EC PRIVATE KEY-----
"""

PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAZ3Ygp4HiuHjPt1FpGhFh
HBgeLlK5HqAnKglgNkpC/Gjfy4AUFgwS4B/1Zan2s5jTDFC4MsbqZ5LKRblfXFFC
gEG1UmV6f6xiTD5RnXqOjilJIUhB4cOkgfARJ9gtUODj07z0SmTHdf7RzCTiRiT5
i3m5LHJRjsxT+ciTl8me+vVW2po9MN6lq7tlX8wCTz0dTi6rgSCkGfaHQ4D2Oww2
M5YeCdHa0fjWlBleyI2cTzfMXGnLu6DvR1628Wz6vY1ELbuo/kIsoteENr1G4NXt
i498iAgQ3BG9Fnp8YkcAYgG5hQ3CkWOh9A4JpubPaSsrIX67JdDGpT/xX3dowZUA
qQIDAQAB
-----END PUBLIC KEY-----
"""


def sign(sub: str) -> str:
    now = int(time.time())
    return jwt.encode({"sub": sub, "iat": now, "exp": now + 300}, PRIVATE_KEY, algorithm="ES256")
