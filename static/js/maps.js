// Village maps. The page works without this file: a map stays hidden and the text beside it (the village's town,
// district and coordinates, or the list of villages) says where the villages are. Leaflet is django-leaflet's
// static copy; the markers, the tile layer (none when MAP_TILES_URL is empty) and Leaflet's few words come from the
// page as JSON (json_script). Without tiles, or when they fail to load, the markers stand on a plain background,
// labelled with the villages' names, with a note saying so.
(function () {
  "use strict";

  function readData(id) {
    var element = id && document.getElementById(id);
    if (!element) return null;
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  function popupContent(place) {
    var element = document.createElement(place.url ? "a" : "strong");
    element.textContent = place.name;
    if (place.url) element.href = place.url;
    return element;
  }

  // Our own pin, drawn by CSS: no marker images to find (Leaflet's guess of their path fails once collectstatic
  // hashes leaflet.css), and the name inside is what a screen reader says for the focusable marker.
  function pin(name) {
    var html = document.createElement("span");
    var shape = document.createElement("span");
    var text = document.createElement("span");
    shape.className = "map-pin-shape";
    shape.setAttribute("aria-hidden", "true");
    text.className = "visually-hidden";
    text.textContent = name;
    html.appendChild(shape);
    html.appendChild(text);
    return L.divIcon({
      className: "map-pin",
      html: html,
      iconSize: [28, 30],
      iconAnchor: [14, 29],
      popupAnchor: [0, -28],
      tooltipAnchor: [10, -16],
    });
  }

  function draw(figure) {
    var data = readData(figure.getAttribute("data-map"));
    var canvas = figure.querySelector("[data-map-canvas]");
    var note = figure.querySelector("[data-map-note]");
    if (!data || !canvas || !data.markers || !data.markers.length) return;
    var labels = data.labels || {};

    figure.hidden = false; // before Leaflet measures the container
    var map = L.map(canvas, {
      zoomControl: false,
      minZoom: data.minZoom || undefined,
      maxZoom: data.maxZoom || undefined,
      // The page scrolls past the map: the wheel scrolls the page, and on a phone one finger scrolls the page
      // (two fingers zoom); the buttons and the keyboard (arrows, + and -) move the map.
      scrollWheelZoom: false,
      dragging: !L.Browser.mobile,
    });
    L.control.zoom({ zoomInTitle: labels.zoomIn, zoomOutTitle: labels.zoomOut }).addTo(map);
    // Leaflet's own credit, without its English tooltip.
    if (map.attributionControl) map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    if (data.scale) L.control.scale({ imperial: false }).addTo(map);

    var markers = data.markers.map(function (place) {
      return L.marker([place.lat, place.lng], { icon: pin(place.name), title: place.name, keyboard: true })
        .bindPopup(popupContent(place))
        .addTo(map);
    });
    if (markers.length === 1) {
      map.setView(markers[0].getLatLng(), data.zoom);
    } else {
      var bounds = L.latLngBounds(markers.map(function (marker) { return marker.getLatLng(); }));
      // Room at the top left for the zoom buttons and the note about tiles, and around for the names.
      map.fitBounds(bounds, { paddingTopLeft: [60, 100], paddingBottomRight: [40, 30], maxZoom: data.zoom });
    }

    map.on("popupopen", function (event) {
      var close = event.popup.getElement() && event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && labels.closePopup) {
        close.setAttribute("aria-label", labels.closePopup);
        close.setAttribute("title", labels.closePopup);
      }
    });

    var labelled = false;
    function showPlainMap() {
      if (labelled) return;
      labelled = true;
      canvas.classList.add("map-without-tiles");
      markers.forEach(function (marker, index) {
        marker.bindTooltip(data.markers[index].name, { permanent: true, direction: "auto", className: "map-label" });
      });
    }

    if (!data.tiles || !data.tiles.url) {
      showPlainMap();
      return;
    }
    var tiles = L.tileLayer(data.tiles.url, data.tiles.options || {});
    function tilesFailed() {
      if (note && !note.textContent) note.textContent = note.getAttribute("data-text");
      showPlainMap();
    }
    var loadedOne = false;
    tiles.on("tileload", function () { loadedOne = true; });
    tiles.on("tileerror", function () {
      if (note && !note.textContent) note.textContent = note.getAttribute("data-text");
      if (loadedOne) return; // one missing tile among others that loaded: keep the background
      // None has loaded: the tile server is out of reach. Stop asking it (each failed tile is an error in the
      // console) and label the markers on the plain background.
      window.setTimeout(function () {
        if (map.hasLayer(tiles)) map.removeLayer(tiles);
        tilesFailed();
      }, 0);
    });
    // One tile first: when the tile server is out of reach that is one failed request, not a screenful of them.
    // The browser keeps it, so the layer's own request for it is answered from the cache.
    var probe = new Image();
    if (data.tiles.options && data.tiles.options.referrerPolicy) probe.referrerPolicy = data.tiles.options.referrerPolicy;
    probe.onload = function () { tiles.addTo(map); };
    probe.onerror = tilesFailed;
    probe.src = centreTileUrl(map, data.tiles);
  }

  // The URL of the tile under the map's centre, as L.TileLayer would build it.
  function centreTileUrl(map, layer) {
    var options = layer.options || {};
    var zoom = map.getZoom();
    var tile = map.project(map.getCenter(), zoom).divideBy(256).floor();
    var subdomains = options.subdomains || "abc";
    var values = {
      r: L.Browser.retina && options.detectRetina ? "@2x" : "",
      s: subdomains[Math.abs(tile.x + tile.y) % subdomains.length],
      x: tile.x,
      y: tile.y,
      "-y": Math.pow(2, zoom) - 1 - tile.y,
      z: zoom,
    };
    return L.Util.template(layer.url, L.Util.extend({}, options, values));
  }

  function start() {
    if (typeof L === "undefined") return; // Leaflet did not load: the maps stay hidden, the text is there
    var figures = document.querySelectorAll("[data-map]");
    for (var i = 0; i < figures.length; i++) {
      try {
        draw(figures[i]);
      } catch (error) {
        figures[i].hidden = true; // a broken map must not break the page
        if (window.console) window.console.error(error);
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
