"use strict";
// The annotate page: a text (pasted or read from a file) is sent to POST /v1/annotate; the mentions
// are highlighted in it, shown on a map, and the perspective report is laid out. Offsets from the
// service are Python str offsets (code points), so the text is cut by code points, not UTF-16 units.

(() => {
  const {el, json, showError, baseMap, years, holders, holderNames} = Gz;
  const form = document.getElementById("annotate-form");
  const text = document.getElementById("text");
  const file = document.getElementById("file");
  const demonyms = document.getElementById("demonyms");
  const run = document.getElementById("run");
  const progress = document.getElementById("progress");
  const results = document.getElementById("results");
  const annotated = document.getElementById("annotated");
  const report = document.getElementById("report");
  const MAX_FILE_BYTES = 4 * 1024 * 1024;
  let miniMap = null;
  let markers = null;

  file.addEventListener("change", () => {
    const chosen = file.files[0];
    if (!chosen) return;
    if (chosen.size > MAX_FILE_BYTES) {
      showError(`${chosen.name} is ${(chosen.size / 1048576).toFixed(1)} MB; the limit is 4 MB of text.`);
      file.value = "";
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      text.value = reader.result;
      showError("");
      progress.textContent = `Read ${chosen.name} (${text.value.length.toLocaleString()} characters).`;
    };
    reader.onerror = () => showError(`${chosen.name} could not be read.`);
    reader.readAsText(chosen, "utf-8");
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const source = text.value;
    if (!source.trim()) {
      showError("Paste a text or choose a file first.");
      return;
    }
    showError("");
    run.disabled = true;
    progress.textContent = "Annotating…";
    try {
      const data = await json("/v1/annotate", {text: source, demonyms: demonyms.checked, report: true});
      const ids = [...new Set(data.mentions.map((m) => m.id))];
      const records = await placeRecords(ids);
      let labels = new Map();
      try { labels = await holders(); } catch (e) { labels = new Map(); }
      results.hidden = false;
      render(source, data.mentions, records, labels);
      drawMap(data.mentions);
      renderReport(data.report, labels);
      const top = data.mentions.filter((m) => !m.nested).length;
      progress.textContent = `${top} mentions of ${ids.length} places.`;
      document.body.dataset.annotated = "true";
    } catch (e) {
      progress.textContent = "";
      showError(`The text could not be annotated (${e.message}).`);
    } finally {
      run.disabled = false;
    }
  });

  /** The place records (every name, with holders) of the mentioned places, 50 ids per request. */
  async function placeRecords(ids) {
    const records = new Map();
    for (let i = 0; i < ids.length; i += 50) {
      const batch = ids.slice(i, i + 50).map(encodeURIComponent).join(",");
      const data = await json(`/v1/places?ids=${batch}`);
      for (const place of data.places) records.set(place.id, place);
    }
    return records;
  }

  function claimText(claim, labels) {
    const span = years(claim.valid_from, claim.valid_to);
    const facts = [claim.lang, claim.kind, span].filter(Boolean).join(", ");
    const who = claim.holders.length ? `used by ${holderNames(claim.holders, labels)}` : "no holder recorded";
    return `“${claim.name}” (${facts}) — ${who}`;
  }

  function otherNames(mention, place, labels) {
    if (!place) return [];
    const seen = new Set([mention.claim.name]);
    const out = [];
    for (const claim of place.names) {
      if (!claim.holders.length || claim.valid_to !== null || seen.has(claim.name)) continue;
      seen.add(claim.name);
      out.push(`${claim.name} (${claim.lang}) by ${holderNames(claim.holders, labels)}`);
    }
    return out;
  }

  function tooltip(mention, inner, place, labels) {
    const lines = [`${mention.surface} → ${mention.label} (${[mention.kind, mention.country].filter(Boolean).join(", ")})`,
      `Name used: ${claimText(mention.claim, labels)}`];
    if (mention.mention_type !== "toponym") lines.push(`Mention type: ${mention.mention_type}`);
    const others = otherNames(mention, place, labels);
    if (others.length) lines.push(`Other names: ${others.slice(0, 10).join("; ")}${others.length > 10 ? "; …" : ""}`);
    if (mention.alternatives.length) {
      lines.push(`Alternatives considered: ${mention.alternatives.map((a) => `${a.label} (score ${a.score.toFixed(2)})`).join("; ")}`);
    }
    for (const n of inner) lines.push(`Inside it: ${n.surface} → ${n.label}`);
    if (mention.usage_note) lines.push(`Usage note: ${mention.usage_note}`);
    return lines.join("\n");
  }

  function render(source, mentions, records, labels) {
    const chars = Array.from(source); // code points, as the service counts them
    const outer = mentions.filter((m) => !m.nested).sort((a, b) => a.start - b.start || b.end - a.end);
    const nested = mentions.filter((m) => m.nested);
    const nodes = [];
    let pos = 0;
    for (const m of outer) {
      if (m.start < pos) continue; // overlaps the previous mark
      if (m.start > pos) nodes.push(chars.slice(pos, m.start).join(""));
      const inner = nested.filter((n) => n.start >= m.start && n.end <= m.end);
      const mark = el("mark", {cls: m.claim.holders.length ? "held" : "", text: chars.slice(m.start, m.end).join(""),
        title: tooltip(m, inner, records.get(m.id), labels)});
      mark.dataset.place = m.id;
      mark.dataset.type = m.mention_type;
      mark.tabIndex = 0;
      nodes.push(mark);
      pos = m.end;
    }
    nodes.push(chars.slice(pos).join(""));
    annotated.replaceChildren(...nodes);
  }

  // A large unit's point stands for an area it does not show (the Soviet Union's is Moscow, Russia's is
  // in Siberia): the map is fitted to the points of the text's smaller places (settlements, districts,
  // regions, islands, disputed areas, corridors) and to the large units only when the text names nothing
  // smaller. Their markers are drawn all the same.
  const LARGE_UNITS = new Set(["continent", "country", "polity", "water-body"]);

  function drawMap(mentions) {
    if (miniMap === null) {
      miniMap = baseMap("mini-map", {center: [40.2, 46.2], zoom: 4});
      markers = L.featureGroup().addTo(miniMap);
    }
    miniMap.invalidateSize();
    markers.clearLayers();
    const byPlace = new Map();
    for (const m of mentions) {
      if (m.nested) continue;
      if (!byPlace.has(m.id)) byPlace.set(m.id, {m, names: new Map(), count: 0});
      const entry = byPlace.get(m.id);
      entry.count += 1;
      entry.names.set(m.surface, (entry.names.get(m.surface) || 0) + 1);
    }
    const fitted = [];
    const everything = [];
    for (const {m, names, count} of byPlace.values()) {
      const used = [...names].map(([name, n]) => `${name} ×${n}`).join(", ");
      const marker = L.circleMarker([m.lat, m.lon], {radius: Math.min(4 + 2 * Math.sqrt(count), 14), color: "#fff",
        weight: 1.5, fillColor: m.claim.holders.length ? "#c0392b" : "#5d6d7e", fillOpacity: 0.9})
        .bindTooltip(el("span", {text: `${m.label}: ${used}`}), {className: "place-label"})
        .addTo(markers);
      marker.getElement().dataset.place = m.id;
      everything.push([m.lat, m.lon]);
      if (!LARGE_UNITS.has(m.kind)) fitted.push([m.lat, m.lon]);
    }
    if (everything.length) {
      miniMap.fitBounds(L.latLngBounds(fitted.length ? fitted : everything), {maxZoom: 7, padding: [20, 20]});
    }
  }

  function renderReport(data, labels) {
    const parts = [el("p", {text: `${data.mentions} mentions counted (nested names and demonyms aside); ` +
      `${data.unattributed} use a name no holder is recorded to use.`})];
    if (data.holders.length) {
      const table = el("table", {cls: "report-holders"},
        el("thead", {}, el("tr", {}, el("th", {text: "Whose names"}), el("th", {text: "Mentions"}), el("th", {text: "Names used"}))));
      const body = el("tbody");
      for (const h of data.holders) {
        const names = Object.entries(h.names).map(([name, n]) => `${name} ×${n}`).join(", ");
        body.append(el("tr", {}, el("td", {text: h.label}), el("td", {text: h.mentions}), el("td", {text: names})));
      }
      table.append(body);
      parts.push(table);
    } else {
      parts.push(el("p", {text: "No mention uses a name with a recorded holder."}));
    }
    parts.push(el("h3", {text: "Places named two ways"}));
    if (data.named_two_ways.length) {
      parts.push(el("ul", {cls: "two-ways"}, ...data.named_two_ways.map((p) => el("li", {},
        el("strong", {text: p.label}), ": ", Object.entries(p.names).map(([name, n]) => `${name} ×${n}`).join(", ")))));
    } else {
      parts.push(el("p", {text: "None: each place is called one way throughout."}));
    }
    parts.push(el("h3", {text: "Fair first mentions"}));
    if (data.suggestions.length) {
      parts.push(el("ul", {cls: "suggestions"}, ...data.suggestions.map((s) => el("li", {},
        el("strong", {text: s.label}), `: the text says “${s.used}” (the name of ${holderNames(s.used_by, labels)}); `,
        "consider ", el("em", {text: s.suggestion}),
        s.usage_note ? el("div", {cls: "note", text: s.usage_note}) : null))));
    } else {
      parts.push(el("p", {text: "Nothing to suggest: no place is named only by one side's name where another side's is recorded."}));
    }
    report.replaceChildren(...parts);
  }
})();
