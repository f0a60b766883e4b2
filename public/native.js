// The browser features the app reaches through a few lines of JavaScript rather than wasm
// bindings (each binding costs wasm bytes on every phone): photos (downscaled on the phone, kept
// in IndexedDB until their case is acknowledged), the current position, speech, and the service
// worker's registration. The wasm calls `window.yousuNative`.
(function () {
  "use strict";
  var DB_NAME = "yousu-photos";
  var STORE = "photos";
  // Longest side of an uploaded photo, and of its thumbnail in the draft.
  var PHOTO_SIDE = 1600;
  var THUMB_SIDE = 160;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE);
      };
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        reject(request.error);
      };
    });
  }

  function inStore(mode, act) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = act(tx.objectStore(STORE));
        tx.oncomplete = function () {
          db.close();
          resolve(request.result);
        };
        tx.onerror = tx.onabort = function () {
          db.close();
          reject(tx.error);
        };
      });
    });
  }

  function loadImage(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
        return createImageBitmap(file);
      });
    }
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        URL.revokeObjectURL(url);
        resolve(img);
      };
      img.onerror = function () {
        URL.revokeObjectURL(url);
        reject(new Error("unreadable"));
      };
      img.src = url;
    });
  }

  function draw(image, side) {
    var scale = Math.min(1, side / Math.max(image.width, image.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(image.width * scale));
    canvas.height = Math.max(1, Math.round(image.height * scale));
    var context = canvas.getContext("2d");
    // JPEG has no transparency: a white ground rather than black.
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return canvas;
  }

  function toJpeg(canvas, quality) {
    return new Promise(function (resolve, reject) {
      canvas.toBlob(
        function (blob) {
          blob ? resolve(blob) : reject(new Error("unreadable"));
        },
        "image/jpeg",
        quality,
      );
    });
  }

  function newKey() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return "p" + Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // One picked file → [key, thumbnail data URL]; the downscaled JPEG waits in IndexedDB.
  function addOne(file) {
    return loadImage(file).then(function (image) {
      var key = newKey();
      var thumb = draw(image, THUMB_SIDE).toDataURL("image/jpeg", 0.7);
      return toJpeg(draw(image, PHOTO_SIDE), 0.82).then(function (blob) {
        if (image.close) image.close();
        return inStore("readwrite", function (store) {
          return store.put(blob, key);
        }).then(function () {
          return [key, thumb];
        });
      });
    });
  }

  window.yousuNative = {
    // The files picked in `input` (at most `limit`), downscaled one after another. Resolves to
    // { added: [[key, thumb], …], failed: n }; clears the input so the same file can be picked again.
    addPhotos: function (input, limit) {
      var files = Array.prototype.slice.call(input.files || [], 0, limit);
      input.value = "";
      var added = [];
      var failed = 0;
      return files
        .reduce(function (previous, file) {
          return previous.then(function () {
            return addOne(file).then(
              function (pair) { added.push(pair); },
              function () { failed += 1; },
            );
          });
        }, Promise.resolve())
        .then(function () {
          return { added: added, failed: failed };
        });
    },

    // Uploads a kept photo; resolves to its photo id. Rejects with "network" (try later: no
    // network, a busy platform, or IndexedDB failing for now — as it does while a page unloads),
    // "missing" (the phone no longer has it) or "refused" (the platform will never take it).
    uploadPhoto: function (key) {
      return inStore("readonly", function (store) {
        return store.get(key);
      }).then(function (blob) {
        if (!blob) throw "missing";
        return fetch("/api/v1/photos", {
          method: "POST",
          headers: { "Content-Type": "image/jpeg" },
          body: blob,
        }).then(
          function (response) {
            if (response.status === 201) {
              return response.json().then(function (receipt) { return receipt.photo_id; });
            }
            throw response.status >= 500 || response.status === 429 ? "network" : "refused";
          },
          function () { throw "network"; },
        );
      }, function () {
        // The store could not be read: the photo is not known to be gone, so keep it and retry.
        throw "network";
      });
    },

    forgetPhoto: function (key) {
      return inStore("readwrite", function (store) {
        return store.delete(key);
      }).catch(function () {});
    },

    // The phone's position as [latitude, longitude], if the resident allows it.
    locate: function () {
      return new Promise(function (resolve, reject) {
        if (!navigator.geolocation) return reject("unavailable");
        navigator.geolocation.getCurrentPosition(
          function (p) { resolve([p.coords.latitude, p.coords.longitude]); },
          function () { reject("refused"); },
          { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 },
        );
      });
    },

    canSpeak: function () {
      return "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;
    },

    speak: function (text, lang) {
      if (!this.canSpeak()) return;
      speechSynthesis.cancel();
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = lang;
      utterance.rate = 0.85;
      speechSynthesis.speak(utterance);
    },
  };

  // After the first visit the app opens with no network at all.
  if ("serviceWorker" in navigator && location.protocol !== "file:") {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () {});
    });
  }
})();
