// Discord moderation bot
const { Client, GatewayIntentBits } = require('discord.js');

const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
const GUILD_ID = '884122917261';

client.once('ready', () => {
  console.log(`logged in as ${client.user.tag}`);
});

client.on('messageCreate', async (msg) => {
  if (msg.content === '!ping') await msg.reply('pong');
});

client.login('NTIwNzg5NzE2MTQ2NTk1MDkzNw.AtzT9N.DaSX4wTMb38fLluV59bnZfwhfcX5wz-xL1Ag55');
