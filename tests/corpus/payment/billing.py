import stripe
from django.conf import settings

stripe.api_key = "sk_live_JVNF9RAN7AaVrtkuKJ3ynJeh"
stripe.api_version = "2024-06-20"

REFUND_KEY = "rk_live_516Hzwl0XhSFAkeD10QIGZrmZXwNMqg6NtvNlqZIwlpn3t1pShZhagzuSUJXOqmB8tbPOueALDRCKeIwPyCT3ScegPdoFciQWD7"  # restricted: refunds only


def create_checkout(customer_id: str, price_id: str) -> str:
    session = stripe.checkout.Session.create(
        customer=customer_id,
        mode="subscription",
        line_items=[{"price": price_id, "quantity": 1}],
        success_url=settings.SITE_URL + "/billing/success?session_id={CHECKOUT_SESSION_ID}",
        cancel_url=settings.SITE_URL + "/billing",
        idempotency_key="7c69a2eb-2497-4288-922e-970cdfb46a1b",
    )
    return session.url


def refund(charge_id: str) -> None:
    stripe.Refund.create(charge=charge_id, api_key=REFUND_KEY)
