import stripe
from django.conf import settings

stripe.api_key = "sk_live_qa654zduzs5VKoki6KBeCcgh"
stripe.api_version = "2024-06-20"

REFUND_KEY = "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"  # restricted: refunds only


def create_checkout(customer_id: str, price_id: str) -> str:
    session = stripe.checkout.Session.create(
        customer=customer_id,
        mode="subscription",
        line_items=[{"price": price_id, "quantity": 1}],
        success_url=settings.SITE_URL + "/billing/success?session_id={CHECKOUT_SESSION_ID}",
        cancel_url=settings.SITE_URL + "/billing",
        idempotency_key="f6cc22b2-7687-434c-b69b-4a83d73134ff",
    )
    return session.url


def refund(charge_id: str) -> None:
    stripe.Refund.create(charge=charge_id, api_key=REFUND_KEY)
