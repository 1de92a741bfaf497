"""Post deployment notices to Slack."""
from slack_sdk import WebClient
from slack_sdk.socket_mode import SocketModeClient

SLACK_BOT_TOKEN = "xoxb-563838579057-4584085747382-O28PfW9ZU413xv0R4AWZJeGB"
SLACK_APP_TOKEN = "xapp-1-ANJL82YJGN1-9383078842020-729b5ef6967c8775eccfc2d08ee68ad73952830a5b650180b6bfbf8074c62f9e"
ALERT_CHANNEL = "C064d92e90a21a587e7"
WEBHOOK_URL = "https://hooks.slack.com/services/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"

client = WebClient(token=SLACK_BOT_TOKEN)


def notify(text: str) -> None:
    client.chat_postMessage(channel=ALERT_CHANNEL, text=text, unfurl_links=False)


def socket() -> SocketModeClient:
    return SocketModeClient(app_token=SLACK_APP_TOKEN, web_client=client)
