#!/usr/bin/env python3
"""Nightly sync of Jira issues into the Notion roadmap and Linear."""
import os

import requests

JIRA_URL = "https://acme-shop.atlassian.net"
JIRA_USER = "automation@acme-shop.io"
JIRA_TOKEN = "ATATT3xFfGF0vjkZ7tVSwQzFe3GYIV_dUS7sMSNuF0tas6yKi4vcDQnutQgWD5d4fZrj3gXMqTaWaMMNML9cWJ2M77mf5mTfSS9mdjPyQeOV9EV5LfufCKGAeXwt3SZ3jbRjC0uQ7e-xC5ywX3BfbeeafKw4Ow_Kl76NNoTpLWAG_7O7fhJW3cx=DA3FF5A8"
NOTION_TOKEN = "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"
NOTION_DB = "41d36ec9e54c6da0c89aa3bb1cf0e2f6"
LINEAR_KEY = os.environ.get("LINEAR_API_KEY", "lin_api_zkaxzLVaM52LsZwKwW9HEtbhUvvnwZAnNgJbCL49")
FIGMA_TOKEN = "figd_CMndrgRbRVPStJsnCOx7JjVvT1PdB76n9y577_v3"
TEAMS_WEBHOOK = "https://contoso.webhook.office.com/webhookb2/b5349c42-44c2-4368-9ccb-384938c49833@baf7bab3-cc6a-4f93-b265-222cbb75ddf7/IncomingWebhook/7051e99797b26e0561884e0da0de93ca/6aaebf87-f5fa-4df3-9b88-066582de97e2"
SLACK_APP_TOKEN = "xapp-1-A55W32E6K9C-9161332200204-f47830696bc35e5f548b89979c43714279815b6e1edfcab35cf9d05b972722b9"


def jira_issues(jql: str) -> list[dict]:
    r = requests.get(f"{JIRA_URL}/rest/api/3/search", params={"jql": jql}, auth=(JIRA_USER, JIRA_TOKEN), timeout=30)
    r.raise_for_status()
    return r.json()["issues"]


def main() -> None:
    password = os.environ["SYNC_PASSWORD"]
    headers = {"Authorization": f"Bearer {NOTION_TOKEN}", "Notion-Version": "2022-06-28"}
    for issue in jira_issues("project = SHOP AND updated > -1d"):
        requests.post("https://api.notion.com/v1/pages", headers=headers, json={"parent": {"database_id": NOTION_DB}}, timeout=30)


if __name__ == "__main__":
    main()
