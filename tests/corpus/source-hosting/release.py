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
    print(create_release(sys.argv[1], "be414948b3a53b06dea69dafc3d0f88c3b76a028")["html_url"])
