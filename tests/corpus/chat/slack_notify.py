"""Post deployment notices to Slack."""
from slack_sdk import WebClient
from slack_sdk.socket_mode import SocketModeClient

SLACK_BOT_TOKEN = "xoxb-917919944422-5784134922831-zS6jdQRMj0ldOB0lQ5DCEIzi"
SLACK_APP_TOKEN = "xapp-1-AD4K42G17QU-5451864876750-50881cecca7b6ec8f1fe3b4bb06d6f17ecf08676d5175ca495a29f7986812b23"
ALERT_CHANNEL = "C065d9fe524832540d5"
WEBHOOK_URL = "https://hooks.slack.com/services/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"

client = WebClient(token=SLACK_BOT_TOKEN)


def notify(text: str) -> None:
    client.chat_postMessage(channel=ALERT_CHANNEL, text=text, unfurl_links=False)


def socket() -> SocketModeClient:
    return SocketModeClient(app_token=SLACK_APP_TOKEN, web_client=client)
