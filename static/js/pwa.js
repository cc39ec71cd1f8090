// The installable app (wnh/pwa/): registers the service worker once the page has loaded, so
// it never competes with the page itself on a slow connection, and says when a page is the
// copy kept for offline use (templates/pwa/sw.js marks it on <html>).
(function () {
  var root = document.documentElement;
  var copy = root.hasAttribute("data-offline-copy");
  if (copy) {
    var note = document.getElementById("offline-note");
    if (note) note.hidden = false;
  }
  if (!("serviceWorker" in navigator)) return;
  var script = document.currentScript;
  var worker = script && script.getAttribute("data-service-worker");
  if (!worker) return;
  window.addEventListener("load", function () {
    var first = !navigator.serviceWorker.controller;
    navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {});
    // The first visit came before the worker: ask it to keep this page all the same.
    if (first && !copy && root.hasAttribute("data-offline-keep")) {
      navigator.serviceWorker.ready.then(function (registration) {
        registration.active.postMessage({ type: "keep", url: location.href });
      });
    }
    // A page answered from the network to someone signed out (a session that ended, say):
    // nothing of the last person may stay for the next one.
    if (!copy && root.getAttribute("data-signed-in") !== "1" && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "signed-out" });
    }
  });
})();
