// Discord moderation bot
const { Client, GatewayIntentBits } = require('discord.js');

const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
const GUILD_ID = '215506405395';

client.once('ready', () => {
  console.log(`logged in as ${client.user.tag}`);
});

client.on('messageCreate', async (msg) => {
  if (msg.content === '!ping') await msg.reply('pong');
});

client.login('NDAyMTI3MDI0ODM1Njg4NDkzMg.YdaHeo.PV6rA-jHE_oujdfELq9dNU98RXErP8h97j9_77');
