import stripe
from django.conf import settings

stripe.api_key = "sk_live_7zJqbcYpmvVl6yOenH4Y1iCG"
stripe.api_version = "2024-06-20"

REFUND_KEY = "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"  # restricted: refunds only


def create_checkout(customer_id: str, price_id: str) -> str:
    session = stripe.checkout.Session.create(
        customer=customer_id,
        mode="subscription",
        line_items=[{"price": price_id, "quantity": 1}],
        success_url=settings.SITE_URL + "/billing/success?session_id={CHECKOUT_SESSION_ID}",
        cancel_url=settings.SITE_URL + "/billing",
        idempotency_key="22d4519b-04d7-41d2-ba51-438f170f0cf8",
    )
    return session.url


def refund(charge_id: str) -> None:
    stripe.Refund.create(charge=charge_id, api_key=REFUND_KEY)
