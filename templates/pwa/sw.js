{% autoescape off %}// WNH Seats' service worker (wnh/pwa/views.py serves it at /sw.js; static/js/pwa.js registers it).
// Version {{ version }}: the static files' version, so a deploy that changes them changes
// these bytes, and the browser installs this worker in place of the old one.
//
// - The shell (stylesheet, scripts, an icon, the offline page) is fetched on install and
//   served from the cache; its cache is named by the version, older ones are dropped.
// - Pages: always the network first. Only answers marked by the server as the signed-in
//   person's own upcoming bookings (the WNH-Offline header: My bookings, a centre's check-in
//   page) are kept, and only the last owner's. When the network fails, the kept copy is
//   shown, marked so the page says it is offline and since when; anything else gets the
//   offline page. POSTs and other people's pages are never kept.
// - Signing out (the POST to the logout address, or a page telling us the person is signed
//   out) drops every kept page; the server's Clear-Site-Data does the same.
"use strict";

const VERSION = "{{ version }}";
const SHELL_CACHE = "wnh-shell-" + VERSION;
const PERSON_CACHE = "wnh-person";
const SHELL = {{ shell }};
const OFFLINE_URL = {{ offline_url }};
const LOGOUT_URL = {{ logout_url }};
const OFFLINE_HEADER = {{ offline_header }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("wnh-shell-") && name !== SHELL_CACHE)
          .map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

function forget() {
  return caches.delete(PERSON_CACHE);
}

// A page of ours asks to be kept (its first visit came before this worker): fetch it again,
// as the person, and keep it only if the server marks it as theirs to keep.
async function fetchAndKeep(address) {
  const url = new URL(address, self.location.origin);
  if (url.origin !== self.location.origin) return;
  const response = await fetch(url, { credentials: "same-origin", redirect: "error" });
  const owner = response.headers.get(OFFLINE_HEADER);
  if (owner && response.status === 200) await keep(url.href, response, owner);
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "signed-out") event.waitUntil(forget());
  if (data.type === "keep" && typeof data.url === "string") {
    event.waitUntil(fetchAndKeep(data.url).catch(() => undefined));
  }
});

// Keep `response` as the page of `owner`; someone else's copies go first.
async function keep(url, response, owner) {
  let cache = await caches.open(PERSON_CACHE);
  const urls = await cache.keys();
  if (urls.length) {
    const before = await cache.match(urls[0]);
    if (!before || before.headers.get(OFFLINE_HEADER) !== owner) {
      await forget();
      cache = await caches.open(PERSON_CACHE);
    }
  }
  await cache.put(url, response);
}

// A kept copy, marked on its <html> so static/js/pwa.js shows "You are offline; saved at".
async function marked(response) {
  const text = await response.text();
  const headers = new Headers(response.headers);
  headers.delete("Content-Encoding");
  headers.delete("Content-Length");
  return new Response(text.replace("<html", "<html data-offline-copy"), {
    status: 200,
    headers: headers,
  });
}

async function whenOffline(request) {
  const kept = await caches.match(request.url, { cacheName: PERSON_CACHE, ignoreVary: true });
  if (kept) return marked(kept);
  const offline = await caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE, ignoreVary: true });
  return offline ? marked(offline) : Response.error();
}

async function navigate(event) {
  const request = event.request;
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    return whenOffline(request);
  }
  const owner = response.headers.get(OFFLINE_HEADER);
  if (owner && response.status === 200) {
    event.waitUntil(keep(request.url, response.clone(), owner));
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    if (url.pathname === LOGOUT_URL) event.waitUntil(forget());
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(
      caches.match(request, { cacheName: SHELL_CACHE, ignoreVary: true })
        .then((hit) => hit || fetch(request))
    );
  }
});
{% endautoescape %}
