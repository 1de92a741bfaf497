import mapboxgl from 'mapbox-gl';

// public token: fine in the browser bundle
mapboxgl.accessToken = 'pk.eyJ1Ijoibm9ydGh3aW5kIiwiYSI6ImRyZG9tNmRycDU5azh6b245c2NmZ3N2cWgifQ.fuTnFegx5Fnoc72iY0ZK5H';

// used by the tile upload script, must stay server-side
export const MAPBOX_UPLOAD_TOKEN = 'sk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6IjIwbDA4em0yYWIwMXBzbTl0a2tsb2l4aWEifQ.symkdPPUPyAHYtbJ4XtK8m';

export function init(container: HTMLElement) {
  return new mapboxgl.Map({ container, style: 'mapbox://styles/mapbox/streets-v12', center: [13.4, 52.5], zoom: 10 });
}
