export const config = {
  stripeKey: process.env.STRIPE_SECRET_KEY!,
  openaiKey: process.env["OPENAI_API_KEY"] ?? "",
  dbPassword: process.env.DB_PASSWORD || "",
  jwtSecret: requireEnv("JWT_SECRET"),
  githubToken: core.getInput("github-token", { required: true }),
  apiKey: import.meta.env.VITE_PUBLIC_API_KEY,
  sessionSecret: await secretsManager.getSecretValue({ SecretId: "prod/session" }),
};
