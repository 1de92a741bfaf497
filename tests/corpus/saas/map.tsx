import mapboxgl from 'mapbox-gl';

// public token: fine in the browser bundle
mapboxgl.accessToken = 'pk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6IjZxa3oyeGV4ODN3am5jNnB2a2o5d2U4azQifQ.exWmKOKxO1puJZrPDSKXAN';

// used by the tile upload script, must stay server-side
export const MAPBOX_UPLOAD_TOKEN = 'sk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6InVmc2hsYm1zbWd6ZHUxaWR5aGZlamY2NDIifQ.CNEXCcQMy0ECfOgUlW2xQi';

export function init(container: HTMLElement) {
  return new mapboxgl.Map({ container, style: 'mapbox://styles/mapbox/streets-v12', center: [13.4, 52.5], zoom: 10 });
}
