import sendgrid
from mailchimp_marketing import Client as Mailchimp

SENDGRID_API_KEY = "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"
MAILGUN_API_KEY = "key-798493c47dea7729bf9f8d6879e9f4ac"
MAILGUN_KEY_2024 = "f61e74a6f508552afea15503289deef1-38c7a6ba-19c12352"
MAILCHIMP_KEY = "271c09956a4d0e6f1d30a70f2fce4702-us10"
TEMPLATE_ID = "d-7fbc97a2c45a63058919c9b1115ca9a5"

sg = sendgrid.SendGridAPIClient(api_key=SENDGRID_API_KEY)
mc = Mailchimp()
mc.set_config({"api_key": MAILCHIMP_KEY, "server": MAILCHIMP_KEY.split("-")[-1]})


def welcome(email: str) -> None:
    sg.send({"from": {"email": "hello@acme.io"}, "template_id": TEMPLATE_ID,
             "personalizations": [{"to": [{"email": email}]}]})
