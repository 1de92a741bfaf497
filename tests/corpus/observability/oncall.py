import requests

OPSGENIE_KEY = "a315d0d3-7e39-4506-9d10-9a08728d6507"
PD_TOKEN = "u+wZ21VsX2fgCM5iZpt8"
SERVICE_ID = "P02fa72aec2c22f54"


def page(summary: str) -> None:
    requests.post(
        "https://api.opsgenie.com/v2/alerts",
        headers={"Authorization": f"GenieKey {OPSGENIE_KEY}"},
        json={"message": summary, "priority": "P1", "alias": "62c6d17f-2141-440c-9e68-bcb3f81fe7f1"},
        timeout=10,
    )


def incidents() -> list[dict]:
    r = requests.get(
        "https://api.pagerduty.com/incidents",
        headers={"Authorization": f"Token token={PD_TOKEN}", "Accept": "application/vnd.pagerduty+json;version=2"},
        params={"service_ids[]": SERVICE_ID},
        timeout=10,
    )
    return r.json()["incidents"]
