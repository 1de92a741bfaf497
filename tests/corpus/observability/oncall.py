import requests

OPSGENIE_KEY = "30be9ea9-77ef-42d1-aa72-4c628106f5b8"
PD_TOKEN = "u+kC-9U_zXOBcC5dwde6"
SERVICE_ID = "P95bb752cead3aee3"


def page(summary: str) -> None:
    requests.post(
        "https://api.opsgenie.com/v2/alerts",
        headers={"Authorization": f"GenieKey {OPSGENIE_KEY}"},
        json={"message": summary, "priority": "P1", "alias": "9cde7f14-176a-45a3-8f11-7e451e83c7a6"},
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
