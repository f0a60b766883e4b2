// The app's service worker: it keeps the app shell (index.html) and the hashed files it names
// (wasm, js, css) so that, after one visit, the app opens with no network at all. The API is
// never cached here: the app keeps its own copy of the resident's cases, catalogue and grid.
"use strict";

var CACHE = "yousu-shell-v1";

// The files index.html names: Trunk's hashed assets, favicon and scripts (a release build's
// minified html leaves attributes unquoted), and the screens loaded on demand, which it lists in
// <meta name=yousu-on-demand content="/a.wasm /b.wasm"> (see xtask/src/split.rs).
function assetsOf(html) {
  var found = {};
  var pattern = /(?:href|src)=["']?(\/[^"'\s>?#]+\.(?:js|wasm|css|svg))/g;
  var match;
  while ((match = pattern.exec(html))) found[match[1]] = true;
  var onDemand = /name=["']?yousu-on-demand["']? content="([^"]*)"/.exec(html);
  if (onDemand) {
    onDemand[1].split(/\s+/).forEach(function (path) {
      if (path) found[path] = true;
    });
  }
  return Object.keys(found);
}

// Stores a fresh index.html and its assets, and drops assets no longer named.
function keepShell(cache, response) {
  return response.clone().text().then(function (html) {
    var assets = assetsOf(html);
    return cache.put("/", response).then(function () {
      return Promise.all(
        assets.map(function (url) {
          return cache.match(url).then(function (hit) {
            return hit || cache.add(url).catch(function () {});
          });
        }),
      ).then(function () {
        return cache.keys().then(function (requests) {
          return Promise.all(
            requests.map(function (request) {
              var path = new URL(request.url).pathname;
              if (path !== "/" && path !== "/sw.js" && assets.indexOf(path) < 0) {
                return cache.delete(request);
              }
            }),
          );
        });
      });
    });
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return fetch("/", { cache: "no-cache" }).then(function (response) {
        if (response.ok) return keepShell(cache, response);
      });
    }).then(function () {
      return self.skipWaiting();
    }),
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names.filter(function (name) { return name !== CACHE; }).map(function (name) {
          return caches.delete(name);
        }),
      );
    }).then(function () {
      return self.clients.claim();
    }),
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  // Only the resident app: the API, Open311 and the staff workbench (its own app under /staff/)
  // go to the network untouched.
  if (url.origin !== self.location.origin || /^\/(api|open311|staff)(\/|$)/.test(url.pathname)) return;

  if (request.mode === "navigate") {
    // Every screen is the same index.html: fresh when online, the kept one when not.
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          event.waitUntil(caches.open(CACHE).then(function (cache) { return keepShell(cache, copy); }));
        }
        return response;
      }).catch(function () {
        return caches.open(CACHE).then(function (cache) {
          return cache.match("/").then(function (hit) {
            return hit || Response.error();
          });
        });
      }),
    );
    return;
  }

  // Hashed files never change: the kept copy first.
  event.respondWith(
    caches.open(CACHE).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit || fetch(request);
      });
    }),
  );
});
