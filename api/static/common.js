"use strict";
// Shared by the map and annotate pages. Every text from the data goes into the page as textContent
// (or as a DOM node handed to Leaflet), never as HTML.

const Gz = (() => {
  /** An element with text and class; children may be nodes or strings (strings become text nodes). */
  function el(tag, options, ...children) {
    const node = document.createElement(tag);
    const opts = options || {};
    if (opts.text !== undefined && opts.text !== null) node.textContent = String(opts.text);
    if (opts.cls) node.className = opts.cls;
    if (opts.title) node.title = opts.title;
    if (opts.href) node.href = opts.href;
    if (opts.lang) node.lang = opts.lang;
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** GET or POST JSON; a problem+json answer becomes an Error with its detail. */
  async function json(url, body) {
    const init = body === undefined ? {} : {
      method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)};
    const response = await fetch(url, init);
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      const detail = data && (data.detail || data.title);
      throw new Error(detail ? `${response.status}: ${detail}` : `${response.status} ${response.statusText}`);
    }
    return data;
  }

  function showError(message) {
    const box = document.getElementById("error");
    box.textContent = message || "";
    box.hidden = !message;
  }

  const STATUS_STYLE = {
    "disputed": {color: "#c0392b", label: "disputed: a disputed or breakaway area, or claimed/administered by others"},
    "renamed": {color: "#d68910", label: "renamed: an official name ended and another is current"},
    "historical": {color: "#7d6e83", label: "historical: every recorded name has ended"},
    "named-two-ways": {color: "#2471a3", label: "named two ways: holders use different current names"},
    "other": {color: "#5d6d7e", label: "other curated place"},
  };

  // Country fills: light tints, so that the places' status colours stand out, and neighbours differ.
  const COUNTRY_TINTS = ["#f4f1ea", "#e6ecdc", "#f2e3da", "#dfe8ef", "#eee6c9", "#e8e0ec"];

  /** A tint index for each country such that two neighbours never share one. Natural Earth's outlines
   * are topologically clean (neighbours share the vertices of their border), so two countries are
   * neighbours when they share a vertex. Greedy colouring, the countries with most neighbours first
   * (Welsh–Powell): each takes the first tint none of its already tinted neighbours has (five do for
   * the 1:110m outlines; six are there). */
  function countryTints(features) {
    const owners = new Map(); // "lon,lat" -> indexes of the countries with that vertex
    features.forEach((feature, i) => {
      const g = feature.geometry;
      const polygons = !g ? [] : g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
      for (const polygon of polygons) {
        for (const ring of polygon) {
          for (const [x, y] of ring) {
            const key = `${x},${y}`;
            if (!owners.has(key)) owners.set(key, new Set());
            owners.get(key).add(i);
          }
        }
      }
    });
    const neighbours = features.map(() => new Set());
    for (const set of owners.values()) {
      if (set.size < 2) continue;
      for (const a of set) for (const b of set) if (a !== b) neighbours[a].add(b);
    }
    const order = features.map((_, i) => i).sort((a, b) => neighbours[b].size - neighbours[a].size || a - b);
    const tint = new Array(features.length);
    for (const i of order) {
      const taken = new Set([...neighbours[i]].map((j) => tint[j]));
      let t = 0;
      while (taken.has(t)) t += 1;
      tint[i] = t;
    }
    return tint;
  }

  /** A map with the Natural Earth country outlines shipped with the service (no tile server). */
  function baseMap(id, view) {
    const map = L.map(id, {worldCopyJump: true, minZoom: 2, maxZoom: 12, preferCanvas: false});
    map.attributionControl.setPrefix("Leaflet");
    map.setView(view.center, view.zoom);
    json("/static/ne_110m_admin_0_countries.geojson").then((outlines) => {
      const tints = countryTints(outlines.features);
      const tintOf = new Map(outlines.features.map((f, i) => [f, tints[i]]));
      L.geoJSON(outlines, {
        interactive: false,
        style: (f) => ({color: "#9aa5ad", weight: 0.7, fillColor: COUNTRY_TINTS[tintOf.get(f) % COUNTRY_TINTS.length],
          fillOpacity: 1, className: "country"}),
        onEachFeature: (f, layer) => layer.on("add", () => {
          const path = layer.getElement();
          if (path) path.dataset.country = f.properties.iso_a3 && f.properties.iso_a3 !== "-99" ? f.properties.iso_a3 : f.properties.name;
        }),
        attribution: "Natural Earth (public domain)",
      }).addTo(map).bringToBack();
    }).catch((e) => showError(`The basemap could not be loaded (${e.message}).`));
    return map;
  }

  function years(from, to) {
    if (from == null && to == null) return "";
    return `${from == null ? "…" : from}–${to == null ? "" : to}`;
  }

  let holderLabels = null;
  /** holder id -> label, from /v1/holders (fetched once). */
  async function holders() {
    if (holderLabels === null) {
      const data = await json("/v1/holders");
      holderLabels = new Map(data.holders.map((h) => [h.id, h.label]));
    }
    return holderLabels;
  }

  function holderNames(ids, labels) {
    return ids.map((id) => (labels && labels.get(id)) || id).join(", ");
  }

  return {el, json, showError, STATUS_STYLE, baseMap, years, holders, holderNames};
})();
