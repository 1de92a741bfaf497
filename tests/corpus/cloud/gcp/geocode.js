// Server-side geocoding helper (backend only, key restricted by IP... supposedly)
const axios = require('axios');

const GOOGLE_MAPS_KEY = 'AIzamIDT4Z86BLYvrv64WkU7RQ4-ZBIvSkkFRGM';
const GEMINI_KEY = "AIzaPo6amV5oKJF2SHH4EzU-R0X8h_xoPIC6ML1";

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
