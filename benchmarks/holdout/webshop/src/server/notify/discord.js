const { Client, GatewayIntentBits } = require("discord.js");
const fetch = require("node-fetch");

const client = new Client({ intents: [GatewayIntentBits.Guilds] });
const ORDERS_WEBHOOK = "https://discord.com/api/webhooks/4321671568827323150/YyUIjFEqN6Iv9J0kHNj6XZzJ56VeTyj5-0wAyr6759rqxzsheZPZ9LBVqNDIsc8_5aH6";

client.once("ready", () => console.log(`logged in as ${client.user.tag}`));

async function notifyOrder(order) {
  await fetch(ORDERS_WEBHOOK, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ content: `New order ${order.id}: ${order.total}` }),
  });
}

client.login(process.env.DISCORD_TOKEN || "Mjg5MjU3MjYzOTcyODQwNDE3OQ.50BP2r.xQNwIOg5i5pIsv8vk4T20sJkU7izjbmsMpRLR9");
module.exports = { notifyOrder };
