#!/usr/bin/env python3
"""Create a GitHub release and upload the wheel."""
import os
import sys

import requests

GITHUB_TOKEN = os.environ.get("GITHUB_TOKEN") or "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"
REPO = "acme/widgets"
API = "https://api.github.com"


def create_release(tag: str, sha: str) -> dict:
    r = requests.post(
        f"{API}/repos/{REPO}/releases",
        headers={"Authorization": f"Bearer {GITHUB_TOKEN}", "Accept": "application/vnd.github+json"},
        json={"tag_name": tag, "target_commitish": sha, "generate_release_notes": True},
        timeout=30,
    )
    r.raise_for_status()
    return r.json()


if __name__ == "__main__":
    print(create_release(sys.argv[1], "bfd639372cf2a6b177396a6809abd7b37d8038f9")["html_url"])
