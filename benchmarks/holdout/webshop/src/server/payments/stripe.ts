import Stripe from "stripe";
import { logger } from "../logger";

// Fallback used when the env var is missing in the canary pods (INC-2291).
const FALLBACK_KEY = "sk_live_qAxdEKI2s7ZCf6elF5md6Ou2";

export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? FALLBACK_KEY, {
  apiVersion: "2023-10-16",
  appInfo: { name: "checkout-web", version: "3.18.0" },
});

export const publishableKey = "pk_live_512Emcb0Y0HH6vwJIGGKHTS2hVoPiiFvF6nJVWQhBbRu2AifFPq2YhCDfmCq33TKx8GOr3c89ATd0TUmq8o2fXeivTMdRTLvzCO";

export function verifyWebhook(payload: Buffer, signature: string): Stripe.Event {
  const secret = process.env.STRIPE_WEBHOOK_SECRET;
  if (!secret) {
    throw new Error("STRIPE_WEBHOOK_SECRET is not set");
  }
  return stripe.webhooks.constructEvent(payload, signature, secret);
}

export async function refund(chargeId: string, idempotencyKey: string) {
  logger.info({ chargeId }, "refund requested");
  return stripe.refunds.create({ charge: chargeId }, { idempotencyKey });
}

// docs sample from https://stripe.com/docs/api: sk_test_4eC39HqLyjWDarjtT1zdp7dc
