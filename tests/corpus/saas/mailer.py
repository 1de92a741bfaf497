import sendgrid
from mailchimp_marketing import Client as Mailchimp

SENDGRID_API_KEY = "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"
MAILGUN_API_KEY = "key-6eaaefc92c047b614fae03abe0a81074"
MAILGUN_KEY_2024 = "d75e7aad4fa29d5acfb8fa9370c297de-88e3e90e-7e21a7ff"
MAILCHIMP_KEY = "bae02c6871b160fdebdea2242269696d-us3"
TEMPLATE_ID = "d-727f3af0e984c33b3d14e71b3a4c78cf"

sg = sendgrid.SendGridAPIClient(api_key=SENDGRID_API_KEY)
mc = Mailchimp()
mc.set_config({"api_key": MAILCHIMP_KEY, "server": MAILCHIMP_KEY.split("-")[-1]})


def welcome(email: str) -> None:
    sg.send({"from": {"email": "hello@acme.io"}, "template_id": TEMPLATE_ID,
             "personalizations": [{"to": [{"email": email}]}]})
