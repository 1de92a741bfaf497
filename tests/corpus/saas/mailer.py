import sendgrid
from mailchimp_marketing import Client as Mailchimp

SENDGRID_API_KEY = "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"
MAILGUN_API_KEY = "key-f2f6071ba7944e4c9e72bcc17b6636c7"
MAILGUN_KEY_2024 = "324b6689d940c6d838b1e08bf6621aa9-26555bf2-dab2fc21"
MAILCHIMP_KEY = "bbe871336451dab619e9f525f3bd230c-us12"
TEMPLATE_ID = "d-ec8698260faaab23a98924dcd1e4ba6a"

sg = sendgrid.SendGridAPIClient(api_key=SENDGRID_API_KEY)
mc = Mailchimp()
mc.set_config({"api_key": MAILCHIMP_KEY, "server": MAILCHIMP_KEY.split("-")[-1]})


def welcome(email: str) -> None:
    sg.send({"from": {"email": "hello@acme.io"}, "template_id": TEMPLATE_ID,
             "personalizations": [{"to": [{"email": email}]}]})
