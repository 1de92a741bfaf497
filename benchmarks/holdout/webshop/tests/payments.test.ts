import { verifyWebhook } from "../src/server/payments/stripe";

process.env.STRIPE_SECRET_KEY = "sk_test_123";
process.env.STRIPE_WEBHOOK_SECRET = "whsec_test_secret";

describe("verifyWebhook", () => {
  it("rejects a bad signature", () => {
    const token = "dummy-token";
    const password = "not-a-real-password";
    expect(() => verifyWebhook(Buffer.from("{}"), "t=1,v1=deadbeef")).toThrow();
    expect(token).toBeDefined();
    expect(password).toHaveLength(19);
  });
  it("builds an auth header", () => {
    const header = `Bearer ${process.env.API_TOKEN}`;
    expect(header.startsWith("Bearer")).toBe(true);
  });
});
