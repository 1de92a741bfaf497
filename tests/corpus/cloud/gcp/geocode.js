// Server-side geocoding helper (backend only, key restricted by IP... supposedly)
const axios = require('axios');

const GOOGLE_MAPS_KEY = 'AIzajvwrevQ_G244UGj96ATHjA-7ah3b0zz8YeW';
const GEMINI_KEY = "AIzanJwAWnq_FCX30oVX32wtcw6i43zRCMqlfkv";

async function geocode(address) {
  const url = 'https://maps.googleapis.com/maps/api/geocode/json';
  const { data } = await axios.get(url, { params: { address, key: GOOGLE_MAPS_KEY } });
  if (data.status !== 'OK') throw new Error(`geocode failed: ${data.status}`);
  return data.results[0].geometry.location;
}

async function summarize(text) {
  const url = `https://generativelanguage.googleapis.com/v1beta/models/gemini-pro:generateContent?key=${GEMINI_KEY}`;
  return axios.post(url, { contents: [{ parts: [{ text }] }] });
}

module.exports = { geocode, summarize };
