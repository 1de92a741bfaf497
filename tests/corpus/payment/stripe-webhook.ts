import Stripe from 'stripe';
import type { Request, Response } from 'express';

const stripe = new Stripe('sk_live_hFmPBRehz19x6AQBINjonmbl', { apiVersion: '2024-06-20' });
const endpointSecret = 'whsec_' + process.env.STRIPE_WEBHOOK_SUFFIX;
const fallbackSecret = 'whsec_FvfNWnK1OGpI2JZfLQYsrsvf6fOGKWwm';

export function handle(req: Request, res: Response) {
  const sig = req.headers['stripe-signature'] as string;
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, sig, endpointSecret || fallbackSecret);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${(err as Error).message}`);
  }
  if (event.type === 'invoice.paid') {
    console.log('paid', event.data.object.id);
  }
  res.json({ received: true });
}
