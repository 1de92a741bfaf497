import axios from "axios";

const GRAFANA_URL = "https://acme.grafana.net";
const api = axios.create({
  baseURL: GRAFANA_URL,
  headers: { Authorization: "Bearer glsa_Ra1BybbTgBlUcC7uPws8XGZfBIpyObbQ_0329a405" },
});

const newRelic = axios.create({
  baseURL: "https://api.newrelic.com/graphql",
  headers: { "API-Key": "NRAK-Y73CF3L3MC469RXMXAWAVKTS5CD" },
});

const sentry = axios.create({
  baseURL: "https://sentry.io/api/0/",
  headers: { Authorization: `Bearer ${process.env.SENTRY_TOKEN}` },
});

export async function listDashboards() {
  const { data } = await api.get("/api/search", { params: { type: "dash-db" } });
  return data.map((d: { uid: string }) => d.uid);
}
