import mapboxgl from 'mapbox-gl';

// public token: fine in the browser bundle
mapboxgl.accessToken = 'pk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6IjFnZmVpZmRjMDM1ZDZ6ZTQ0bXh3MjNyOG4ifQ.emyCdy0n8Aebxcxj_v8-Hk';

// used by the tile upload script, must stay server-side
export const MAPBOX_UPLOAD_TOKEN = 'sk.eyJ1Ijoibm9ydGh3aW5kIiwiYSI6InBjbTgzaThqY3Q4YjRiemRoZjcxb3ZlOHYifQ.PRHc7YENlms9Ji4wiTT2b0';

export function init(container: HTMLElement) {
  return new mapboxgl.Map({ container, style: 'mapbox://styles/mapbox/streets-v12', center: [13.4, 52.5], zoom: 10 });
}
