'use strict';
// The line dashboard: one Server-Sent Events stream from the hub (/dashboard/events). A snapshot on (re)connect
// replaces everything; afterwards telemetry (newest reading per machine and tag), anomaly, machine-event,
// machine-state, line-oee and health messages change only what they name. Charts are redrawn once per animation frame, and only the ones that changed.
(() => {
  /** How long a machine's card stays highlighted after an anomaly. */
  const HIGHLIGHT_MS = 60_000;
  /** A machine without a reading for this long is shown as stale. */
  const STALE_MS = 60_000;
  /** The hub's check ids, in the order the strip shows them, with their names; others follow by id. */
  const CHECKS = {
    'kafka': 'Kafka', 'store-and-forward': 'Buffer', 'connectors': 'Connectors', 'mqtt-broker': 'MQTT',
    'opcua-subscriptions': 'OPC-UA', 'mes-cdc': 'MES CDC', 'data-lake': 'Data lake',
  };
  /** Machine events that set or clear a status badge on the machine's card. */
  const STATUS = {
    'connection-lost': ['offline', 'Connection lost', true], 'connection-restored': ['offline', '', false],
    'inference-unavailable': ['no-inference', 'No inference', true], 'inference-restored': ['no-inference', '', false],
  };
  /**
   * A state badge's colour. ACTIVE and OFFLINE are the hub's; the others are the rules' own words, so a state that
   * says trouble is red and any other state a rule reports is amber.
   */
  function severity(state) {
    if (state === 'ACTIVE') return 'ok';
    if (state === 'OFFLINE') return 'offline';
    return /ALARM|CRITICAL|EMERGENCY|FAULT|FAIL|ERROR|STOP|DOWN|TRIP/i.test(state) ? 'critical' : 'warning';
  }
  const UNITS = { degC: '°C', degF: '°F' };
  const TAG_COLORS = { vibration: '#38bdf8', temperature: '#f59e0b' };
  const PALETTE = ['#a78bfa', '#34d399', '#f472b6', '#facc15', '#60a5fa', '#fb923c'];
  const byName = new Intl.Collator(undefined, { numeric: true }).compare;

  let limits = { history: 120, anomalies: 20, events: 20 };
  /** machineId -> { card, site, line, tags: Map(tag -> series), lastReading, highlightUntil, statuses: Map } */
  const machines = new Map();
  const redraw = new Set();
  let frameRequested = false;

  const linesEl = document.getElementById('lines');
  const anomaliesEl = document.getElementById('anomalies');
  const eventsEl = document.getElementById('events');

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function insertSorted(parent, child, key) {
    const next = [...parent.children].find(other => other.dataset.sortKey && byName(other.dataset.sortKey, key) > 0);
    child.dataset.sortKey = key;
    parent.insertBefore(child, next || null);
  }

  const clock = time => new Date(time).toLocaleTimeString([], { hour12: false });
  const formatValue = value => value === null || value === undefined ? '—'
    : value.toFixed(Math.abs(value) >= 100 ? 1 : 2);
  const unitText = unit => UNITS[unit] || unit || '';

  function ago(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return `${s} s ago`;
    if (s < 3600) return `${Math.floor(s / 60)} min ago`;
    return `${Math.floor(s / 3600)} h ago`;
  }

  function tagColor(tag) {
    if (TAG_COLORS[tag]) return TAG_COLORS[tag];
    let hash = 0;
    for (const c of tag) hash = (hash * 31 + c.charCodeAt(0)) | 0;
    return PALETTE[Math.abs(hash) % PALETTE.length];
  }

  // ---- layout: site > line > machine cards ----

  function lineGrid(site, line) {
    site = site || 'unknown site';
    line = line || 'unknown line';
    let siteEl = linesEl.querySelector(`:scope > [data-site="${CSS.escape(site)}"]`);
    if (!siteEl) {
      siteEl = el('section', 'site');
      siteEl.dataset.site = site;
      siteEl.append(el('h2', 'site-name', site));
      insertSorted(linesEl, siteEl, site);
    }
    let lineEl = siteEl.querySelector(`:scope > [data-line="${CSS.escape(line)}"]`);
    if (!lineEl) {
      lineEl = el('section', 'line');
      lineEl.dataset.line = line;
      const header = el('header', 'line-header');
      header.append(el('h3', 'line-name', line), el('span', 'line-count'), el('div', 'oee-strip'));
      lineEl.append(header, el('div', 'grid'));
      insertSorted(siteEl, lineEl, line);
    }
    return lineEl;
  }

  function machine(id, site, line) {
    let m = machines.get(id);
    if (m && (m.site !== site || m.line !== line)) {
      removeCard(m); // moved to another line (a connector changed): the card follows
      m.site = site;
      m.line = line;
      placeCard(m);
    }
    if (!m) {
      const card = el('article', 'card');
      card.dataset.machine = id;
      const header = el('header', 'machine-header');
      const badges = el('div', 'badges');
      const state = el('span', 'badge state-badge');
      state.hidden = true;
      header.append(el('h4', 'machine-id', id), state, el('span', 'age'));
      card.append(header, badges, el('div', 'tags'));
      m = { id, card, badges, state, site, line, tags: new Map(), lastReading: 0, highlightUntil: 0, statuses: new Map() };
      machines.set(id, m);
      placeCard(m);
      updateSummary();
    }
    return m;
  }

  function placeCard(m) {
    const lineEl = lineGrid(m.site, m.line);
    m.card.dataset.site = m.site || '';
    m.card.dataset.line = m.line || '';
    insertSorted(lineEl.querySelector('.grid'), m.card, m.id);
    countLine(lineEl);
  }

  function removeCard(m) {
    const lineEl = m.card.closest('.line');
    m.card.remove();
    if (lineEl) {
      countLine(lineEl);
      const siteEl = lineEl.parentElement;
      if (!lineEl.querySelector('.card') && !lineEl.querySelector('.oee')) lineEl.remove();
      if (siteEl && !siteEl.querySelector('.line')) siteEl.remove();
    }
  }

  function countLine(lineEl) {
    const n = lineEl.querySelectorAll('.card').length;
    lineEl.querySelector('.line-count').textContent = `${n} machine${n === 1 ? '' : 's'}`;
  }

  function series(m, tag) {
    let s = m.tags.get(tag);
    if (!s) {
      const row = el('div', 'tag');
      row.dataset.tag = tag;
      row.style.setProperty('--tag-color', tagColor(tag));
      const reading = el('div', 'reading');
      const value = el('span', 'value', '—');
      const unit = el('span', 'unit');
      const quality = el('span', 'quality');
      const figure = el('div', 'figure');
      figure.append(value, unit, quality);
      const range = el('span', 'range');
      reading.append(el('span', 'tag-name', tag), figure, range);
      const spark = el('div', 'spark');
      row.append(reading, spark);
      insertSorted(m.card.querySelector('.tags'), row, tag);
      s = { row, value, unit, quality, range, spark, times: [], values: [], chart: null };
      m.tags.set(tag, s);
      updateSummary();
    }
    return s;
  }

  // ---- data ----

  /** Adds a point in time order (the same instant again replaces it), keeping the newest limits.history. */
  function addPoint(s, time, value) {
    const t = time / 1000; // uPlot's time scale is in seconds
    let at = s.times.length;
    while (at > 0 && s.times[at - 1] > t) at--;
    if (at > 0 && s.times[at - 1] === t) {
      s.values[at - 1] = value;
    } else {
      s.times.splice(at, 0, t);
      s.values.splice(at, 0, value);
    }
    const excess = s.times.length - limits.history;
    if (excess > 0) {
      s.times.splice(0, excess);
      s.values.splice(0, excess);
    }
  }

  function reading(r) {
    const m = machine(r.machineId, r.site, r.line);
    const s = series(m, r.tag);
    addPoint(s, r.time, r.value);
    s.unitName = r.unit;
    s.qualityName = r.quality;
    m.lastReading = Math.max(m.lastReading, r.time);
    schedule(s);
  }

  function schedule(s) {
    redraw.add(s);
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(draw);
    }
  }

  function draw() {
    frameRequested = false;
    const now = Date.now();
    for (const s of redraw) {
      const newest = s.values[s.values.length - 1];
      s.value.textContent = formatValue(newest);
      s.value.dataset.renderedAt = String(now);
      s.unit.textContent = unitText(s.unitName);
      const bad = s.qualityName && s.qualityName !== 'GOOD';
      s.quality.textContent = bad ? s.qualityName : '';
      s.quality.dataset.quality = s.qualityName || '';
      s.row.classList.toggle('degraded', Boolean(bad));
      s.range.textContent = rangeText(s);
      if (s.spark.clientWidth > 0) {
        if (!s.chart) s.chart = sparkline(s);
        else s.chart.setData([s.times, s.values]);
      }
    }
    redraw.clear();
    tick();
  }

  /** What the auto-scaled sparkline spans: lowest to highest value, over how long. */
  function rangeText(s) {
    const values = s.values.filter(v => v !== null && v !== undefined);
    if (values.length < 2) return '';
    const seconds = Math.round(s.times[s.times.length - 1] - s.times[0]);
    const span = seconds >= 3600 ? `${Math.round(seconds / 3600)} h` : seconds >= 60 ? `${Math.round(seconds / 60)} min`
      : `${seconds} s`;
    return `${formatValue(Math.min(...values))}–${formatValue(Math.max(...values))} · ${span}`;
  }

  function sparkline(s) {
    const color = getComputedStyle(s.row).getPropertyValue('--tag-color').trim();
    const chart = new uPlot({
      width: s.spark.clientWidth,
      height: s.spark.clientHeight || 40,
      legend: { show: false },
      cursor: { show: false },
      select: { show: false },
      padding: [4, 2, 4, 2],
      scales: {
        x: { time: true },
        y: { range: (u, min, max) => padRange(min, max) },
      },
      axes: [{ show: false }, { show: false }],
      series: [{}, { stroke: color, width: 1.5, fill: color + '22', points: { show: false }, spanGaps: false }],
    }, [s.times, s.values], s.spark);
    new ResizeObserver(() => chart.setSize({ width: s.spark.clientWidth, height: s.spark.clientHeight || 40 }))
      .observe(s.spark);
    return chart;
  }

  function padRange(min, max) {
    if (min === null || max === null) return [0, 1];
    const span = max - min || Math.abs(max) * 0.1 || 1;
    return [min - span * 0.15, max + span * 0.15];
  }

  // ---- anomalies and machine events ----

  /** machine and tag -> { item, count }: one entry each, the newest first, so one busy machine cannot fill the list. */
  const anomalyEntries = new Map();

  /** An anomaly event as the hub read it from Kafka; count from the snapshot, else one more than before. */
  function anomaly(a, count, isNew) {
    const key = `${a.machineId}\u0000${a.tag || ''}`;
    const entry = anomalyEntries.get(key) || { item: el('li', 'anomaly'), count: 0 };
    entry.count = count || entry.count + 1;
    anomalyEntries.set(key, entry);
    const detectedAt = Date.parse(a.detectedAt) || Date.now();
    renderAnomaly(entry.item, a, entry.count, detectedAt);
    entry.item.dataset.key = key;
    anomaliesEl.prepend(entry.item);
    while (anomaliesEl.children.length > limits.anomalies) {
      anomalyEntries.delete(anomaliesEl.lastElementChild.dataset.key);
      anomaliesEl.lastElementChild.remove();
    }
    document.getElementById('anomaly-count').textContent = String(anomaliesEl.children.length);
    document.getElementById('no-anomalies').hidden = true;

    const since = isNew ? Date.now() : detectedAt;
    const m = machines.get(a.machineId);
    if (m && since + HIGHLIGHT_MS > Date.now()) {
      m.highlightUntil = Math.max(m.highlightUntil, since + HIGHLIGHT_MS);
      m.anomalyScore = a.score;
      m.anomalyTag = a.tag;
      if (isNew) {
        m.card.classList.remove('flash');
        void m.card.offsetWidth; // restarts the flash animation
        m.card.classList.add('flash');
      }
      renderBadges(m);
    }
  }

  function renderAnomaly(item, a, count, detectedAt) {
    item.dataset.anomaly = '';
    item.dataset.machine = a.machineId;
    item.dataset.tag = a.tag || '';
    item.dataset.detectedAt = String(detectedAt);
    item.dataset.renderedAt = String(Date.now());
    const model = a.model || {};
    const top = el('div', 'row');
    top.append(el('span', 'machine', a.machineId), el('span', 'anomaly-tag', a.tag || ''));
    if (count > 1) top.append(el('span', 'repeat', `×${count}`));
    top.append(el('span', 'score', a.score.toFixed(2)));
    const bottom = el('div', 'row sub');
    const time = el('time', 'time', clock(detectedAt));
    time.dateTime = new Date(detectedAt).toISOString();
    bottom.append(el('span', 'model', model.name || 'model'), el('span', 'version', model.version ? `v${model.version}` : ''),
      el('span', 'where', [a.site, a.line].filter(Boolean).join(' / ')), time);
    item.replaceChildren(top, bottom);
    item.title = `score ${a.score}` + (a.deviceId ? `, device ${a.deviceId}` : '') + (count > 1 ? `, ${count} times` : '');
  }

  function machineEvent(e) {
    const item = el('li', 'event');
    item.dataset.event = e.type;
    item.dataset.machine = e.machineId;
    const status = STATUS[e.type];
    const problem = (status && status[2]) || /full|lost|unavailable|down/.test(e.type);
    item.classList.toggle('problem', problem);
    const label = e.type.replace(/-/g, ' ');
    item.append(el('span', 'type', label.charAt(0).toUpperCase() + label.slice(1)),
      el('span', 'machine', e.machineId), el('time', 'time', clock(e.time)));
    prepend(eventsEl, item, limits.events);
    document.getElementById('no-events').hidden = true;

    const m = machines.get(e.machineId);
    if (m && status) {
      const [key, text, on] = status;
      if (on) m.statuses.set(key, text); else m.statuses.delete(key);
      renderBadges(m);
    }
  }

  /** The rules' verdict on a machine: its badge, coloured by severity. A card is made for a machine not seen yet. */
  function machineState(s) {
    const m = machines.get(s.machineId) || machine(s.machineId, s.site, s.line);
    const badge = m.state;
    badge.hidden = false;
    badge.textContent = s.state;
    badge.dataset.state = s.state;
    badge.dataset.severity = severity(s.state);
    badge.dataset.renderedAt = String(Date.now());
    badge.title = (s.rule ? `rule ${s.rule}` + (s.group ? ` (${s.group})` : '') + ', ' : '') + `since ${clock(s.since)}`;
    m.card.dataset.severity = badge.dataset.severity;
  }

  // ---- OEE of each line ----

  /** A factor as a percentage; a window that gives no figure (no planned time, nothing counted) shows a dash. */
  const percent = fraction => fraction === null || fraction === undefined ? '—' : `${(fraction * 100).toFixed(1)} %`;
  const windowText = minutes => minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;

  /** A line's newest OEE of one window length (15 min, 1 h), in its header. */
  function lineOee(o) {
    const strip = lineGrid(o.site, o.line).querySelector('.oee-strip');
    let box = strip.querySelector(`:scope > [data-window="${o.minutes}"]`);
    if (!box) {
      box = el('div', 'oee');
      box.dataset.window = String(o.minutes);
      box.append(el('span', 'oee-label', `OEE ${windowText(o.minutes)}`), el('span', 'oee-value'), el('span', 'oee-factors'));
      insertSorted(strip, box, String(o.minutes).padStart(5, '0'));
    }
    box.querySelector('.oee-value').textContent = percent(o.oee);
    box.querySelector('.oee-factors').textContent =
      `A ${percent(o.availability)} · P ${percent(o.performance)} · Q ${percent(o.quality)}`;
    box.title = `availability × performance × quality, ${clock(o.start)}–${clock(o.end)}`;
    box.dataset.renderedAt = String(Date.now());
  }

  function prepend(list, item, limit) {
    list.prepend(item);
    while (list.children.length > limit) list.lastElementChild.remove();
  }

  function renderBadges(m) {
    m.badges.replaceChildren();
    const highlighted = m.highlightUntil > Date.now();
    if (highlighted) {
      const badge = el('span', 'badge anomaly-badge', `Anomaly ${m.anomalyScore.toFixed(2)}`);
      badge.title = m.anomalyTag || '';
      m.badges.append(badge);
    }
    for (const [key, text] of m.statuses) {
      const badge = el('span', 'badge status-badge', text);
      badge.dataset.status = key;
      m.badges.append(badge);
    }
    m.card.classList.toggle('anomalous', highlighted);
    m.card.classList.toggle('offline', m.statuses.has('offline'));
  }

  // ---- health strip ----

  function health(checks) {
    const list = document.getElementById('health');
    const order = Object.keys(CHECKS);
    const rank = id => (order.indexOf(id) + 1) || order.length + 1;
    const sorted = [...checks].sort((a, b) => rank(a.id) - rank(b.id) || byName(a.id, b.id));
    list.replaceChildren(...sorted.map(check => {
      const item = el('li', 'check');
      item.dataset.check = check.id;
      item.dataset.state = check.state;
      item.append(el('span', 'led'), el('span', 'name', CHECKS[check.id] || check.id),
        el('span', 'state', check.state));
      if (check.message) {
        item.append(el('span', 'message', check.message));
        item.title = check.message;
      }
      return item;
    }));
    const down = checks.filter(check => check.state !== 'UP').length;
    const summary = document.getElementById('health-summary');
    summary.textContent = checks.length === 0 ? 'Health' : down === 0 ? 'All systems up' : `${down} of ${checks.length} down`;
    summary.dataset.state = down === 0 ? 'UP' : 'DOWN';
  }

  // ---- page chrome ----

  function updateSummary() {
    let tags = 0;
    const lines = new Set();
    for (const m of machines.values()) {
      tags += m.tags.size;
      lines.add(`${m.site}/${m.line}`);
    }
    document.getElementById('summary').textContent = machines.size === 0 ? 'No machines yet'
      : `${machines.size} machine${machines.size === 1 ? '' : 's'} · ${lines.size} line${lines.size === 1 ? '' : 's'} · ${tags} tags`;
    document.getElementById('no-machines').hidden = machines.size > 0;
  }

  /** Once a second (and after each draw): ages, staleness, highlights that ran out, the clock. */
  function tick() {
    const now = Date.now();
    for (const m of machines.values()) {
      const age = m.card.querySelector('.age');
      age.textContent = m.lastReading ? ago(now - m.lastReading) : '';
      m.card.classList.toggle('stale', m.lastReading > 0 && now - m.lastReading > STALE_MS);
      if (m.card.classList.contains('anomalous') !== (m.highlightUntil > now)) renderBadges(m);
    }
    document.getElementById('clock').textContent = clock(now);
  }

  function setLink(state, label) {
    const link = document.getElementById('link');
    link.dataset.state = state;
    link.querySelector('.label').textContent = label;
  }

  function snapshot(s) {
    limits = s.limits;
    for (const m of machines.values()) {
      for (const tag of m.tags.values()) if (tag.chart) tag.chart.destroy();
    }
    machines.clear();
    linesEl.querySelectorAll(':scope > .site').forEach(site => site.remove());
    anomaliesEl.replaceChildren();
    eventsEl.replaceChildren();
    for (const m of s.machines) {
      const card = machine(m.machineId, m.site, m.line);
      for (const t of m.tags) {
        const tag = series(card, t.tag);
        t.times.forEach((time, i) => addPoint(tag, time, t.values[i]));
        tag.unitName = t.unit;
        tag.qualityName = t.quality;
        const newest = t.times[t.times.length - 1];
        card.lastReading = Math.max(card.lastReading, newest || 0);
        schedule(tag);
      }
    }
    s.states.forEach(machineState);
    s.oee.forEach(lineOee);
    [...s.events].reverse().forEach(machineEvent);
    anomalyEntries.clear();
    [...s.anomalies].reverse().forEach(group => anomaly(group.latest, group.count, false));
    document.getElementById('no-anomalies').hidden = s.anomalies.length > 0;
    document.getElementById('anomaly-count').textContent = s.anomalies.length ? String(s.anomalies.length) : '';
    document.getElementById('no-events').hidden = s.events.length > 0;
    health(s.health);
    updateSummary();
  }

  function connect() {
    const source = new EventSource('/dashboard/events');
    const on = (name, handler) => source.addEventListener(name, message => handler(JSON.parse(message.data)));
    source.onopen = () => setLink('live', 'Live');
    source.onerror = () => setLink('down', 'Reconnecting');
    on('snapshot', snapshot);
    on('telemetry', readings => readings.forEach(reading));
    on('anomaly', a => anomaly(a, 0, true));
    on('machine-event', machineEvent);
    on('machine-state', machineState);
    on('line-oee', lineOee);
    on('health', health);
  }

  tick();
  setInterval(tick, 1000);
  connect();
})();
