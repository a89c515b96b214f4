"use strict";
// The map page: the curated places styled by status, popups with every name, search with
// autocomplete, and labels by year, holder and language. Data goes in as text, never as HTML.

(async () => {
  const {el, json, showError, STATUS_STYLE, baseMap, years, holders, holderNames} = Gz;
  const map = baseMap("map", {center: [40.0, 46.3], zoom: 7});
  const places = new Map(); // place id -> {layer, label (the span in its tooltip), feature}
  const searchLayer = L.layerGroup().addTo(map);
  const banner = document.getElementById("banner");
  const q = document.getElementById("q");
  const suggestions = document.getElementById("suggestions");
  const year = document.getElementById("year");
  const slider = document.getElementById("year-slider");
  const perspective = document.getElementById("perspective");
  const lang = document.getElementById("lang");
  let holderLabels = new Map();

  // -- labels shown by zoom (points of lesser priority only when zoomed in) -------------------
  function zoomClasses() {
    const z = map.getZoom();
    const box = map.getContainer();
    box.classList.toggle("zoom-lt3", z < 3);
    box.classList.toggle("zoom-lt5", z < 5);
    box.classList.toggle("zoom-lt8", z < 8);
  }
  map.on("zoomend", zoomClasses);
  zoomClasses();

  // -- labels that would overlap: placed by priority, each on the first side of its point where it
  // overlaps no label placed before it, or hidden ----------------------------------------------------
  // Higher curated priority first; among equals the usual order of a map's labels: countries and
  // states, then towns (points), then the other areas (regions, districts: their outlines show them),
  // then by id. A point's label tries each side of its point; an area's stays centred. Run after each
  // zoom and relabelling (a pan moves every label alike, so it changes nothing).
  const SIDES = {right: [6, 0], left: [-6, 0], top: [0, -8], bottom: [0, 8]};
  const GAP = 2; // pixels kept between two labels
  const STATES = new Set(["country", "polity", "continent"]);

  function labelRank(entry) {
    const p = entry.feature.properties;
    return [-(p.priority || 0), STATES.has(p.kind) ? 0 : entry.feature.geometry.type === "Point" ? 1 : 2];
  }

  function labelOrder(a, b) {
    const [ra, rb] = [labelRank(a), labelRank(b)];
    const [ia, ib] = [a.feature.properties.id, b.feature.properties.id];
    return ra[0] - rb[0] || ra[1] - rb[1] || (ia < ib ? -1 : ia > ib ? 1 : 0);
  }

  function overlaps(a, b) {
    return a.left < b.right + GAP && b.left < a.right + GAP && a.top < b.bottom + GAP && b.top < a.bottom + GAP;
  }

  function placeLabels() {
    const placed = [];
    for (const entry of [...places.values()].sort(labelOrder)) {
      const tooltip = entry.layer.getTooltip();
      const box = tooltip && tooltip.getElement();
      if (!box) continue;
      box.classList.remove("collides");
      const sides = entry.feature.geometry.type === "Point" ? Object.keys(SIDES) : ["center"];
      let free = null;
      for (const side of sides) {
        if (tooltip.options.direction !== side) {
          tooltip.options.direction = side;
          tooltip.options.offset = L.point(SIDES[side] || [0, 0]);
          tooltip.setLatLng(tooltip.getLatLng()); // moved to that side
        }
        const rect = box.getBoundingClientRect();
        if (!rect.width) break; // not shown at this zoom
        if (!placed.some((other) => overlaps(other, rect))) { free = rect; break; }
      }
      if (free) {
        placed.push(free);
      } else if (box.getBoundingClientRect().width) {
        tooltip.options.direction = sides[0];
        tooltip.options.offset = L.point(SIDES[sides[0]] || [0, 0]);
        tooltip.setLatLng(tooltip.getLatLng());
        box.classList.add("collides");
      }
    }
    document.body.dataset.labelsPlaced = String(map.getZoom()); // (the browser tests wait for it)
  }
  map.on("zoomend", placeLabels);

  // -- the popup: every name by language, with holders, years, certainty, citations --------------
  function citationNode(citation) {
    const wikidata = /^wikidata:(Q\d+)$/.exec(citation);
    const geonames = /^geonames:(\d+)$/.exec(citation);
    if (wikidata) return el("a", {text: citation, href: `https://www.wikidata.org/wiki/${wikidata[1]}`});
    if (geonames) return el("a", {text: citation, href: `https://www.geonames.org/${geonames[1]}`});
    return el("span", {text: citation});
  }

  function citations(list) {
    const box = el("span", {cls: "citations"});
    list.forEach((c, i) => { if (i) box.append(", "); box.append(citationNode(c)); });
    return box;
  }

  function namesTable(names) {
    const byLang = new Map();
    for (const claim of names) {
      if (!byLang.has(claim.lang)) byLang.set(claim.lang, []);
      byLang.get(claim.lang).push(claim);
    }
    const table = el("table", {cls: "names"},
      el("thead", {}, el("tr", {}, ...["Language", "Name (certainty · sources)", "Kind", "Used by", "Years"]
        .map((h) => el("th", {text: h})))));
    const body = el("tbody");
    for (const langTag of [...byLang.keys()].sort()) {
      byLang.get(langTag).forEach((claim, i) => {
        const name = el("td", {cls: "name"}, el("span", {lang: claim.lang, text: claim.name}));
        if (claim.note) name.append(el("div", {cls: "note", text: claim.note}));
        name.append(el("div", {cls: "sources"}, `${claim.certainty} · `, citations(claim.citations)));
        body.append(el("tr", {cls: i === 0 ? "first" : ""},
          el("td", {text: i === 0 ? langTag : ""}), name, el("td", {text: claim.kind}),
          el("td", {text: holderNames(claim.holders, holderLabels) || "—"}),
          el("td", {text: years(claim.valid_from, claim.valid_to) || "—"})));
      });
    }
    table.append(body);
    return table;
  }

  function placeDetails(place) {
    const entry = places.get(place.id);
    const status = entry && entry.feature.properties.status;
    const parts = [el("h3", {text: place.label})];
    const meta = [place.kind, place.country, `${place.lat.toFixed(4)}, ${place.lon.toFixed(4)}`,
      place.layer === "base" ? "GeoNames base layer" : "curated"].filter(Boolean).join(" · ");
    parts.push(el("p", {cls: "meta", text: meta}));
    if (status) {
      const badge = el("span", {cls: `status status-${status}`, text: status});
      badge.style.background = STATUS_STYLE[status].color;
      parts.push(el("p", {cls: "status-line"}, badge, " ", entry.feature.properties.status_reason));
    }
    if (place.note) parts.push(el("p", {cls: "place-note", text: place.note}));
    const held = place.names.filter((c) => c.holders.length);
    const others = place.names.filter((c) => !c.holders.length);
    parts.push(el("h4", {text: `Names in use, by whom (${held.length})`}),
      held.length ? namesTable(held) : el("p", {cls: "meta", text: "No holder is recorded for any name of this place."}));
    if (others.length) {
      parts.push(el("details", {cls: "other-names"},
        el("summary", {text: `Other recorded names, no holder recorded (${others.length})`}), namesTable(others)));
    }
    if (place.usage_notes.length) {
      parts.push(el("h4", {text: "Usage notes"}));
      const list = el("ul", {cls: "usage"});
      for (const note of place.usage_notes) {
        list.append(el("li", {}, el("strong", {text: `${note.topic}: `}), note.text, " ", citations(note.citations)));
      }
      parts.push(list);
    }
    if (place.relations.length) {
      parts.push(el("h4", {text: "Relations"}));
      const list = el("ul", {cls: "relations"});
      for (const r of place.relations) {
        const span = years(r.valid_from, r.valid_to);
        list.append(el("li", {}, `${r.relation.replace(/_/g, " ")} ${r.other_label || r.other}`,
          span ? ` (${span})` : "", r.view ? ` — in the view of ${holderNames([r.view], holderLabels)}` : "",
          ` · ${r.certainty} · `, citations(r.citations), r.note ? el("div", {cls: "note", text: r.note}) : null));
      }
      parts.push(list);
    }
    if (place.citations.length) parts.push(el("p", {cls: "meta"}, "Place sources: ", citations(place.citations)));
    return parts;
  }

  async function openPlace(id, latlng) {
    const box = el("div", {cls: "popup", text: "Loading…"});
    const popup = L.popup({maxWidth: 560, minWidth: 320, maxHeight: 420, autoPanPadding: [30, 30]})
      .setLatLng(latlng).setContent(box).openOn(map);
    try {
      const place = await json(`/v1/places/${encodeURIComponent(id)}`);
      box.replaceChildren(...placeDetails(place));
      popup.update();
    } catch (e) {
      box.textContent = `This place could not be loaded (${e.message}).`;
    }
  }

  // -- the curated layer -----------------------------------------------------------------------------
  function colour(feature) {
    return (STATUS_STYLE[feature.properties.status] || STATUS_STYLE.other).color;
  }

  function addPlaces(collection) {
    const areasFirst = [...collection.features].sort((a, b) =>
      (a.geometry.type === "Point") - (b.geometry.type === "Point"));
    L.geoJSON({type: "FeatureCollection", features: areasFirst}, {
      style: (f) => ({color: colour(f), weight: 1.5, fillColor: colour(f), fillOpacity: 0.12}),
      pointToLayer: (f, latlng) => L.circleMarker(latlng, {
        radius: 6, color: "#ffffff", weight: 1.5, fillColor: colour(f), fillOpacity: 0.95}),
      onEachFeature: (f, layer) => {
        const p = f.properties;
        const label = el("span", {text: p.label});
        label.dataset.place = p.id;
        const point = f.geometry.type === "Point";
        const minor = (point && p.priority < 10) || p.status === "historical" ? " minor" : "";
        layer.bindTooltip(label, {permanent: true, direction: point ? "right" : "center", offset: point ? [6, 0] : [0, 0],
          className: `place-label ${point ? "point" : "area"}${minor}`, interactive: false});
        layer.on("click", (event) => openPlace(p.id, point ? layer.getLatLng() : event.latlng));
        places.set(p.id, {layer, label, feature: f});
      },
    }).addTo(map);
  }

  function addLegend(collection) {
    const counts = {};
    for (const f of collection.features) counts[f.properties.status] = (counts[f.properties.status] || 0) + 1;
    const legend = L.control({position: "bottomright"});
    legend.onAdd = () => {
      const box = el("div", {cls: "legend"}, el("strong", {text: "Status"}));
      for (const [status, style] of Object.entries(STATUS_STYLE)) {
        if (!counts[status]) continue;
        const swatch = el("i", {cls: "swatch"});
        swatch.style.background = style.color;
        box.append(el("div", {cls: `legend-${status}`, title: style.label}, swatch, `${status} (${counts[status]})`));
      }
      return box;
    };
    legend.addTo(map);
  }

  // -- search with autocomplete ------------------------------------------------------------------------
  let typed = 0;
  let current = [];
  function clearSuggestions() {
    current = [];
    suggestions.replaceChildren();
    suggestions.hidden = true;
  }

  function show(result) {
    clearSuggestions();
    showError("");
    const latlng = L.latLng(result.lat, result.lon);
    map.setView(latlng, Math.max(map.getZoom(), 7), {animate: false});
    searchLayer.clearLayers();
    const entry = places.get(result.id);
    if (!entry) {  // a base-layer place: a marker of its own
      L.circleMarker(latlng, {radius: 6, color: "#ffffff", weight: 1.5, fillColor: "#222", fillOpacity: 0.9})
        .bindTooltip(el("span", {text: result.label}), {permanent: true, direction: "right", className: "place-label"})
        .on("click", () => openPlace(result.id, latlng)).addTo(searchLayer);
    }
    const at = entry && entry.feature.geometry.type === "Point" ? entry.layer.getLatLng() : latlng;
    openPlace(result.id, at);
  }

  function suggestionText(r) {
    const matched = r.matched_claim.name !== r.label ? ` — ${r.matched_claim.name} (${r.matched_claim.lang})` : "";
    return [`${r.label}${matched}`, [r.kind, r.country, r.layer === "base" ? "GeoNames" : "curated"]
      .filter(Boolean).join(" · ")];
  }

  q.addEventListener("input", () => {
    const text = q.value.trim();
    const mine = ++typed;
    if (!text) { clearSuggestions(); return; }
    setTimeout(async () => {
      if (mine !== typed) return;
      try {
        const data = await json(`/v1/autocomplete?q=${encodeURIComponent(text)}&limit=8`);
        if (mine !== typed) return;
        current = data.results;
        suggestions.replaceChildren(...current.map((r) => {
          const [main, detail] = suggestionText(r);
          const button = el("button", {cls: "suggestion"}, el("span", {text: main}), el("small", {text: detail}));
          button.type = "button";
          button.addEventListener("click", () => show(r));
          return el("li", {}, button);
        }));
        suggestions.hidden = current.length === 0;
      } catch (e) {
        showError(`Search failed (${e.message}).`);
      }
    }, 150);
  });
  q.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && !suggestions.hidden) {
      event.preventDefault();
      suggestions.querySelector("button").focus();
    } else if (event.key === "Escape") {
      clearSuggestions();
    }
  });
  suggestions.addEventListener("keydown", (event) => {
    const item = document.activeElement.closest("li");
    if (!item) return;
    if (event.key === "ArrowDown" && item.nextElementSibling) { event.preventDefault(); item.nextElementSibling.firstChild.focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (item.previousElementSibling ? item.previousElementSibling.firstChild : q).focus(); }
  });
  // Enter in the search box looks the name up (the form has several fields, so no implicit submit)
  q.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); lookup(); } });
  document.getElementById("controls").addEventListener("submit", (event) => { event.preventDefault(); lookup(); });
  async function lookup() {
    ++typed; // a pending autocomplete answer is no longer wanted
    const text = q.value.trim();
    if (!text) return;
    try {
      const data = await json(`/v1/lookup?q=${encodeURIComponent(text)}&limit=1`);
      if (data.results.length) show(data.results[0]);
      else showError(`No place is known by the name “${text}”.`);
    } catch (e) {
      showError(`Search failed (${e.message}).`);
    }
  }

  // -- relabel by year, holder and language ------------------------------------------------------------
  let relabelling = 0;
  async function relabel() {
    const mine = ++relabelling;
    const params = new URLSearchParams();
    const at = year.value.trim();
    const holder = perspective.value;
    const language = lang.value.trim();
    if (at) params.set("at", at);
    if (holder) params.set("perspective", holder);
    if (language) params.set("lang", language);
    try {
      const data = await json(`/v1/map/labels?${params}`);
      if (mine !== relabelling) return;
      showError("");
      const chosen = at || holder || language;
      for (const item of data.labels) {
        const entry = places.get(item.id);
        if (!entry) continue;
        entry.label.textContent = item.label;
        entry.label.title = item.basis;
        entry.label.classList.toggle("fallback", Boolean(chosen) && !item.from_view);
      }
      placeLabels(); // the labels' widths changed
      banner.textContent = describe(data, at, holder, language);
    } catch (e) {
      showError(`The labels could not be changed (${e.message}).`);
    }
  }

  function describe(data, at, holder, language) {
    const total = data.labels.length;
    if (!at && !holder && !language) {
      return `${total} curated places, labelled by this gazetteer's default names. Colours give the status; ` +
        "click a place for every name it goes by, who uses it, since when and on what authority.";
    }
    const view = [];
    if (holder) view.push(`the names used by ${holderLabels.get(holder) || holder}`);
    else view.push("the names");
    if (language) view.push(`in language ${language}`);
    if (at) view.push(`valid in ${at}`);
    const fallback = total - data.from_view;
    return `Labels show ${view.join(" ")}: ${data.from_view} of ${total} places have such a name. ` +
      (fallback ? `The other ${fallback} (grey italics) show the name the gazetteer falls back to.` : "");
  }

  let pending = null;
  function soon() { clearTimeout(pending); pending = setTimeout(relabel, 200); }
  /** The slider follows the year field; with no year (the field cleared) it goes back to its "now" end. */
  function syncSlider() {
    if (!year.value) {
      slider.value = slider.max;
      slider.setAttribute("aria-valuetext", "now (no year)");
    } else if (Number(year.value) >= Number(slider.min) && Number(year.value) <= Number(slider.max)) {
      slider.value = year.value;
      slider.setAttribute("aria-valuetext", year.value);
    }
  }
  slider.addEventListener("input", () => {
    year.value = slider.value;
    slider.setAttribute("aria-valuetext", slider.value);
    soon();
  });
  year.addEventListener("input", () => { syncSlider(); soon(); });
  syncSlider();
  perspective.addEventListener("change", relabel);
  lang.addEventListener("change", relabel);

  // -- start ---------------------------------------------------------------------------------------------
  try {
    holderLabels = await holders();
    for (const [id, label] of holderLabels) {
      const option = el("option", {text: `${label} (${id})`});
      option.value = id;
      perspective.append(option);
    }
  } catch (e) {
    showError(`The holders could not be loaded (${e.message}).`);
  }
  try {
    const collection = await json("/v1/map");
    addPlaces(collection);
    addLegend(collection);
    placeLabels();
    banner.textContent = describe({labels: collection.features, from_view: 0}, "", "", "");
    document.body.dataset.ready = "true";
  } catch (e) {
    banner.textContent = "";
    showError(`The places could not be loaded (${e.message}).`);
  }
})();
