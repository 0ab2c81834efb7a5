'use strict';

// doorcast's service worker: when the push service wakes it with a ring, it shows "Someone is at the door",
// and a click on that brings the page forward. It has no fetch handler, so the page, its streams and the
// API reach the network as if it were not there, and it caches nothing. docs/viewer.md explains it.

// What the page keeps here for this worker (viewer.js, keepForWorker): the devices' names, and whether the
// server is open to anyone, its ring pictures too. A Cache Storage entry, never requested from the server.
const STATE_CACHE = 'doorcast-push';
const STATE_KEY = '/push-state.json';
const PAGE_PATHS = ['/', '/index.html'];

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('push', (event) => {
  event.waitUntil(onPush(event.data));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openRing(event.notification.data ?? {}));
});

async function onPush(data) {
  let message = {};
  try {
    message = data ? data.json() : {};
  } catch (e) {
    // Not JSON: all the same, someone rang.
  }
  if (message.type !== undefined && message.type !== 'ring') {
    return;
  }
  const device = typeof message.device === 'string' && message.device ? message.device : 'doorbell';
  const ringId = Number.isSafeInteger(message.ringId) ? message.ringId : null;
  const time = Number.isFinite(message.time) ? message.time : Date.now();
  // A page that watches this device and is in front has its own banner and chime: no second alert.
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  if (pages.some((page) => page.focused && page.visibilityState === 'visible' && deviceOf(page.url) === device)) {
    return;
  }
  const state = await readState();
  const name = state.names?.[device] ?? device;
  const options = {
    body: `${name}, ${new Date(time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`,
    tag: `doorcast-ring-${device}-${ringId ?? time}`,
    renotify: true,
    timestamp: time,
    icon: '/icons/doorcast-192.png',
    vibrate: [300, 150, 300],
    data: { device, ringId, time },
  };
  const image = pictureOf(message, device, ringId, state);
  if (image) {
    options.image = image;
  }
  await self.registration.showNotification('Someone is at the door', options);
}

// The browser fetches a notification's picture itself, without the page's header or link, so the picture is
// given only where it opens as it is: the push's own `snapshot`, when the server sends one (a path of this
// server, which then carries whatever opens it); else the ring's snapshot path, on a server the page found
// open to anyone (no viewer access). A picture that fails to load leaves the notification without one.
function pictureOf(message, device, ringId, state) {
  if (typeof message.snapshot === 'string') {
    const url = new URL(message.snapshot, self.location.origin);
    return url.origin === self.location.origin ? url.href : null;
  }
  if (ringId !== null && state.open === true) {
    return `/api/v1/stream/rings/${ringId}/snapshot?device=${encodeURIComponent(device)}`;
  }
  return null;
}

// A page already open keeps its credential (a viewer token lives in its memory only), so it is brought
// forward and told of the ring: the one watching the ring's device, else any. Only when none is open does a
// new one open, at the ring.
async function openRing({ device, ringId }) {
  const pages = (await self.clients.matchAll({ type: 'window', includeUncontrolled: true }))
      .filter((page) => deviceOf(page.url) !== null);
  const page = pages.find((p) => deviceOf(p.url) === device) ?? pages[0];
  if (page) {
    page.postMessage({ type: 'ring', device, ringId });
    await page.focus();
    return;
  }
  const url = new URL('/', self.location.origin);
  if (device) {
    url.searchParams.set('device', device);
  }
  if (ringId != null) {
    url.searchParams.set('ring', String(ringId));
  }
  await self.clients.openWindow(url.href);
}

// The device a viewer page watches, or null for anything that is not the viewer page.
function deviceOf(address) {
  const url = new URL(address);
  if (url.origin !== self.location.origin || !PAGE_PATHS.includes(url.pathname)) {
    return null;
  }
  return url.searchParams.get('device') ?? 'doorbell';
}

async function readState() {
  try {
    const kept = await (await caches.open(STATE_CACHE)).match(STATE_KEY);
    return kept ? await kept.json() : {};
  } catch (e) {
    return {};
  }
}
