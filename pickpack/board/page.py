"""The board's one page: inline style and script, nothing from the internet (no web fonts, no
CDN: warehouses are often offline). The script opens the live channel (Server-Sent Events) with
the page's token and fills the page with ``textContent`` only: no store data is ever parsed as
HTML. Labels come from the catalogue (pickpack/locale), in the board's language."""

from __future__ import annotations

import gettext
import json

from pickpack.core.lifecycle import STATE_NAMES, STATION_NAMES
from pickpack.i18n import DOMAIN, LOCALE_DIR


def labels(language: str) -> dict[str, str]:
    """Every label the page shows, in the board's language (``[station] language``), whatever
    language the rest of the process speaks."""
    _ = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True).gettext
    return {
        "title": _("Floor board"), "courier": _("Courier"), "pickup": _("Pickup"),
        "due": _("Due today"), "to_ship": _("Still to ship"), "handed": _("Handed over"),
        "passed": _("pickup passed"), "per_hour": _("Parcels per hour"),
        "shipped": _("Shipped today"), "stations": _("Stations"), "station": _("Station"),
        "mode": _("Mode"), "operator": _("Logged in"), "seen": _("Last seen"),
        "online": _("online"), "offline": _("offline"), "holds": _("Open holds"),
        "intercepts": _("Open interceptions"), "at_risk": _("At risk (48 h)"),
        "late": _("Late (72 h)"), "order": _("Order"), "state": _("State"),
        "hours": _("Hours"), "note": _("Note"), "cutoff": _("Handover cut-off"),
        "live": _("live"), "lost": _("connection lost, retrying"), "none": _("none"),
        "more": _("and {n} more"),
        "chart": _("Throughput against the day's target"), "target": _("Target"),
        "verified": _("Verified"), "scans": _("Scans"),
    }


def names(language: str) -> dict[str, dict[str, str]]:
    """Orders' states and stations' modes as a person reads them (the store keeps the code)."""
    _ = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True).gettext
    return {"states": {code: _(name) for code, name in STATE_NAMES.items()},
            "modes": {code: _(name) for code, name in STATION_NAMES.items()}}


def render_page(language: str) -> bytes:
    """The page; the token is read by the script from the page's own address."""
    words = labels(language)
    data = json.dumps({**words, **names(language)}, ensure_ascii=False).replace("<", "\\u003c")
    lang = "zh-CN" if language == "zh_CN" else "en"
    return (_PAGE.replace("__LANG__", lang).replace("__LABELS__", data)
            .replace("__TITLE__", _escape(words["title"]))).encode()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_PAGE = """<!doctype html>
<html lang="__LANG__"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
body{margin:0;background:#101418;color:#e8eef2;
 font:20px/1.35 "Noto Sans CJK SC","WenQuanYi Micro Hei","Droid Sans Fallback",sans-serif}
header{display:flex;justify-content:space-between;align-items:baseline;padding:10px 20px;background:#1c242c}
h1{margin:0;font-size:30px}h2{margin:0 0 6px;font-size:22px;color:#9fc3e0}
#status{font-size:16px;color:#8c8}#status.lost{color:#e66}
main{display:grid;grid-template-columns:1fr 1fr;gap:14px;padding:14px 20px}
section{background:#182028;border-radius:6px;padding:10px 14px}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:3px 8px}
th{color:#9ab;font-weight:normal;font-size:16px}td.n{text-align:right;font-variant-numeric:tabular-nums}
.big{font-size:40px;font-weight:bold}.warn{color:#fb4}.bad{color:#f66}.ok{color:#7d7}
#bars{display:flex;align-items:flex-end;gap:3px;height:120px}
#bars div{flex:1;background:#3d7fbf;min-height:1px;position:relative}
#bars span{position:absolute;top:-20px;width:100%;text-align:center;font-size:13px}
#hours{display:flex;gap:3px;font-size:12px;color:#789}#hours div{flex:1;text-align:center}
section.wide{grid-column:1/-1}#chart{width:100%;height:auto;display:block}
#chart text{fill:#9ab;font-size:14px}#chart .axis{stroke:#456;stroke-width:1}
#chart polyline{fill:none;stroke-width:3}#chart .target{stroke:#aab;stroke-dasharray:6 4}
#chart .verified{stroke:#5bc0eb}#chart .handed_over{stroke:#7d7}
#legend span{margin-right:18px}#legend b{display:inline-block;width:22px;height:4px;
 vertical-align:middle;margin-right:6px}.sw-target{background:#aab}
.sw-verified{background:#5bc0eb}.sw-handed_over{background:#7d7}
</style></head><body>
<header><h1 id="title"></h1><div><span id="clock"></span> · <span id="cutoff"></span>
 · <span id="status"></span></div></header>
<main>
<section><h2 id="h-couriers"></h2><table id="couriers"></table></section>
<section><h2 id="h-hour"></h2><div><span id="l-shipped"></span>
 <span class="big" id="shipped">–</span></div><div id="bars"></div><div id="hours"></div></section>
<section class="wide"><h2 id="h-chart"></h2><div id="legend"></div>
<svg id="chart" viewBox="0 0 1440 220" role="img"></svg></section>
<section><h2 id="h-stations"></h2><table id="stations"></table></section>
<section><h2 id="h-risk"></h2><table id="risk"></table></section>
<section><h2 id="h-holds"></h2><table id="holds"></table></section>
<section><h2 id="h-intercepts"></h2><table id="intercepts"></table></section>
</main>
<script>
"use strict";
const L = __LABELS__;
const token = new URLSearchParams(location.search).get("token") || "";
const $ = (id) => document.getElementById(id);
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function table(id, heads, rows, total) {
  const t = $(id); t.replaceChildren();
  const h = el("tr"); heads.forEach((x) => h.append(el("th", x))); t.append(h);
  if (!rows.length) { const r = el("tr"); r.append(el("td", L.none)); t.append(r); }
  rows.forEach((cells) => { const r = el("tr");
    cells.forEach((c) => r.append(typeof c === "object" ? el("td", c.t, c.c) : el("td", c)));
    t.append(r); });
  if (total > rows.length) { const r = el("tr");
    r.append(el("td", L.more.replace("{n}", total - rows.length))); t.append(r); }
}
const stateName = (code) => L.states[code] || code;
const modeName = (code) => L.modes[code] || code;
function flags(list) {
  return list.map((f) => [f.order_no, stateName(f.state), {t: f.hours, c: "n"}, f.note]);
}
function show(b) {
  $("clock").textContent = b.date + " " + b.clock;
  $("cutoff").textContent = L.cutoff + " " + b.cutoff_handover;
  table("couriers", [L.courier, L.pickup, L.due, L.to_ship, L.handed], b.couriers.map((c) => [
    c.name, {t: c.pickup + (c.pickup_passed ? " " + L.passed : ""), c: c.pickup_passed ? "bad" : ""},
    {t: c.due, c: "n"}, {t: c.to_ship, c: "n big" + (c.to_ship && c.pickup_passed ? " bad" : "")},
    {t: c.handed_over, c: "n ok"}]), b.couriers.length);
  $("shipped").textContent = b.shipped_today;
  const top = Math.max(1, ...b.per_hour);
  $("bars").replaceChildren(...b.per_hour.map((n) => { const d = el("div");
    d.style.height = (100 * n / top) + "%"; if (n) d.append(el("span", n)); return d; }));
  $("hours").replaceChildren(...b.per_hour.map((_n, h) => el("div", h)));
  table("stations", [L.station, L.mode, L.operator, L.seen], b.stations.map((s) => [
    {t: s.station, c: s.online ? "ok" : "bad"}, modeName(s.mode),
    (s.operator_name ? s.operator_name + " " : "") + s.operator,
    s.last_seen + " " + (s.online ? L.online : L.offline)]), b.stations.length);
  $("h-risk").textContent = L.at_risk + " " + b.at_risk_total + " · " + L.late + " " + b.late_total;
  table("risk", [L.order, L.state, L.hours, L.note], b.at_risk.map((f) => [
    {t: f.order_no, c: f.late ? "bad" : "warn"}, stateName(f.state), {t: f.hours, c: "n"},
    f.note]),
    b.at_risk_total);
  $("h-holds").textContent = L.holds + " " + b.holds_total;
  table("holds", [L.order, L.state, L.hours, L.note], flags(b.holds), b.holds_total);
  $("h-intercepts").textContent = L.intercepts + " " + b.intercepts_total;
  table("intercepts", [L.order, L.state, L.hours, L.note], flags(b.intercepts), b.intercepts_total);
  drawChart(b.chart);
  document.body.dataset.version = b.version;
}
const SVG = $("chart").namespaceURI;  // the inline svg element is in the SVG namespace
function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, String(v)));
  if (text !== undefined) e.textContent = String(text);
  return e;
}
function drawChart(c) {
  const s = $("chart"); s.setAttribute("viewBox", "0 0 " + c.width + " " + c.height);
  const parts = [svg("line", {class: "axis", x1: c.base.x1, x2: c.base.x2, y1: c.base.y,
                               y2: c.base.y})];
  c.y_ticks.forEach((t) => parts.push(
    svg("line", {class: "axis", x1: c.base.x1 - 4, x2: c.base.x1, y1: t.y, y2: t.y}),
    svg("text", {x: c.base.x1 - 8, y: t.y + 4, "text-anchor": "end"}, t.label)));
  c.x_ticks.forEach((t) => parts.push(
    svg("text", {x: t.x, y: c.height - 8, "text-anchor": "middle"}, t.label)));
  ["target", "verified", "handed_over"].forEach((name) => parts.push(
    svg("polyline", {class: name, id: "line-" + name, points: c.lines[name]})));
  s.replaceChildren(...parts);
  const t = c.totals, words = {target: L.target + " " + t.target + "/" + t.due,
    verified: L.verified + " " + t.verified, handed_over: L.handed + " " + t.handed_over};
  $("legend").replaceChildren(...["target", "verified", "handed_over"].map((name) => {
    const e = el("span"), swatch = el("b"); swatch.className = "sw-" + name;
    e.append(swatch, words[name]); e.id = "legend-" + name; return e; }),
    el("span", L.scans + " " + t.scans));
}
$("title").textContent = L.title; document.title = L.title;
$("h-couriers").textContent = L.courier; $("h-hour").textContent = L.per_hour;
$("h-stations").textContent = L.stations; $("l-shipped").textContent = L.shipped;
$("h-chart").textContent = L.chart;
const live = new EventSource("/live?token=" + encodeURIComponent(token));
live.onmessage = (m) => { $("status").textContent = L.live; $("status").className = "";
  show(JSON.parse(m.data)); };
live.onerror = () => { $("status").textContent = L.lost; $("status").className = "lost"; };
</script></body></html>
"""
