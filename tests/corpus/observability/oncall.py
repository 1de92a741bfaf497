import requests

OPSGENIE_KEY = "b4a19b70-edb9-4527-b8ff-990d12691c27"
PD_TOKEN = "u+efwLnQj7o41G2I_-te"
SERVICE_ID = "P0f52c42117e8ff54"


def page(summary: str) -> None:
    requests.post(
        "https://api.opsgenie.com/v2/alerts",
        headers={"Authorization": f"GenieKey {OPSGENIE_KEY}"},
        json={"message": summary, "priority": "P1", "alias": "b8216447-5b65-448d-beec-803881576e2d"},
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
