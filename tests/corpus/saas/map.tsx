import mapboxgl from 'mapbox-gl';

// public token: fine in the browser bundle
mapboxgl.accessToken = 'pk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6IndtZzFkMGpmMnJuMmhsaW9rMm5mNXJyNTEifQ.m3NOjhkl7yCSYlkPc8CGbU';

// used by the tile upload script, must stay server-side
export const MAPBOX_UPLOAD_TOKEN = 'sk.eyJ1Ijoibm9ydGh3aW5kIiwiYSI6ImhhNHhpZ2VibzA3OHA3NXI4d2lxeDl3MmkifQ.PhUy5vJu7sTbEfqVTtIU9e';

export function init(container: HTMLElement) {
  return new mapboxgl.Map({ container, style: 'mapbox://styles/mapbox/streets-v12', center: [13.4, 52.5], zoom: 10 });
}
