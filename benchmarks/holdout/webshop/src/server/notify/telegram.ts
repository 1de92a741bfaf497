import { Telegraf } from "telegraf";

const bot = new Telegraf("3308006119:AAzKDPN3lEZ2rnd6gATSVndUz1G6k4amhhP");
const ADMIN_CHAT = -1001876543210;

export async function alertOps(text: string): Promise<void> {
  await bot.telegram.sendMessage(ADMIN_CHAT, text, { parse_mode: "MarkdownV2" });
}
