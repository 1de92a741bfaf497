import sendgrid
from mailchimp_marketing import Client as Mailchimp

SENDGRID_API_KEY = "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"
MAILGUN_API_KEY = "key-bf2dab2fc21bbe871336451dab619e9f"
MAILGUN_KEY_2024 = "525f3bd230cbec8698260faaab23a989-24dcd1e4-ba6a6b63"
MAILCHIMP_KEY = "d1d42e86e35475e62f88fd9d338899ec-us1"
TEMPLATE_ID = "d-469937f0165a30fb43207d7f8b48bbe4"

sg = sendgrid.SendGridAPIClient(api_key=SENDGRID_API_KEY)
mc = Mailchimp()
mc.set_config({"api_key": MAILCHIMP_KEY, "server": MAILCHIMP_KEY.split("-")[-1]})


def welcome(email: str) -> None:
    sg.send({"from": {"email": "hello@acme.io"}, "template_id": TEMPLATE_ID,
             "personalizations": [{"to": [{"email": email}]}]})
