/* Feedback form: the map picker (when a tile server is configured) and "use my location".
   Both only fill the latitude/longitude boxes, which stay usable without JavaScript. */
(function () {
  "use strict";
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  if (!lat || !lon) return;

  function round6(x) { return Math.round(x * 1e6) / 1e6; }
  var marker = null;
  var map = null;
  var icon = null;

  function setBoxes(la, lo) {
    lat.value = round6(la).toFixed(6);
    lon.value = round6(lo).toFixed(6);
    lat.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function place(la, lo) {
    if (!map) return;
    if (marker) marker.setLatLng([la, lo]);
    else marker = window.L.marker([la, lo], { icon: icon }).addTo(map);
  }

  var box = document.getElementById("feedback-map");
  if (box && window.L) {
    var b = (box.dataset.bounds || "").split(",").map(Number);
    var bounds = b.length === 4 ? [[b[0], b[2]], [b[1], b[3]]] : null;
    // the marker's images by their static URLs (hashed in production), not Leaflet's guess
    icon = window.L.icon({
      iconUrl: box.dataset.icon, iconRetinaUrl: box.dataset.icon2x, shadowUrl: box.dataset.shadow,
      iconSize: [25, 41], iconAnchor: [12, 41], shadowSize: [41, 41]
    });
    map = window.L.map(box, { maxBounds: bounds ? window.L.latLngBounds(bounds).pad(0.2) : null });
    window.L.tileLayer(box.dataset.tiles, {
      maxZoom: 19,
      attribution: box.dataset.attribution || ""
    }).addTo(map);
    if (bounds) map.fitBounds(bounds); else map.setView([0, 0], 2);
    map.on("click", function (e) {
      setBoxes(e.latlng.lat, e.latlng.lng);
      place(e.latlng.lat, e.latlng.lng);
    });
    var typed = function () {
      var la = parseFloat(lat.value), lo = parseFloat(lon.value);
      if (!isNaN(la) && !isNaN(lo)) { place(la, lo); map.panTo([la, lo]); }
    };
    lat.addEventListener("input", typed);
    lon.addEventListener("input", typed);
    typed();
  }

  var here = document.getElementById("use-my-location");
  if (here && navigator.geolocation) {
    here.hidden = false;
    here.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        setBoxes(pos.coords.latitude, pos.coords.longitude);
        place(pos.coords.latitude, pos.coords.longitude);
        if (map) map.panTo([pos.coords.latitude, pos.coords.longitude]);
      });
    });
  }
})();
