// rockpool's web UI. Routes in the fragment: "#/" the pools, "#/pools/NAME" one pool. The live view reads the pool's
// Server-Sent Events with fetch() rather than EventSource, because EventSource cannot send the Authorization header
// (and the token must never be put in a URL); it resumes after a dropped connection with Last-Event-ID, as
// EventSource would. Everything from a message is shown with textContent, never as HTML.
"use strict";

const TOKEN_KEY = "rockpool.token";
const MAX_ROWS = 500;
const POOLS_REFRESH_MS = 2000;

const $ = (id) => document.getElementById(id);

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  server: null,
  poolsTimer: null,
  stream: null,
};

/** An API error: the server's error envelope, or what went wrong on the way. */
class ApiError extends Error {
  constructor(status, kind, message) {
    super(message);
    this.status = status;
    this.kind = kind;
  }
}

function headers(extra) {
  const h = Object.assign({}, extra || {});
  if (state.token) {
    h.Authorization = "Bearer " + state.token;
  }
  return h;
}

async function api(path, options) {
  const opts = Object.assign({}, options || {});
  opts.headers = headers(opts.headers);
  const response = await fetch(path, opts);
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    throw errorOf(response.status, body, text);
  }
  return body;
}

function errorOf(status, body, text) {
  if (body && body.error) {
    return new ApiError(status, body.error.kind, body.error.message);
  }
  return new ApiError(status, "Internal", "HTTP " + status + (text ? ": " + text.slice(0, 200) : ""));
}

function showError(error) {
  const box = $("error");
  if (!error) {
    box.hidden = true;
    box.textContent = "";
    return;
  }
  box.textContent = error.message || String(error);
  box.hidden = false;
}

/** A 401: the server wants a token (or a different one). */
function needToken(error) {
  if (error instanceof ApiError && error.status === 401) {
    $("token-form").hidden = false;
    $("token").focus();
    showError(new Error(state.token ? "The server refused this token: type the right one."
      : "This server wants a token: type it above (kept for this tab only)."));
    return true;
  }
  return false;
}

function setToken(token) {
  state.token = token || null;
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
  $("forget-token").hidden = !token;
}

// ---- server ----

async function loadServer() {
  state.server = (await api("/v0/server")).server;
  $("server-mode").textContent = state.server.access;
  $("token-form").hidden = true;
  $("forget-token").hidden = !state.token;
}

function canRead() {
  return state.server && state.server.access !== "write-only";
}

function canWrite() {
  return state.server && state.server.access !== "read-only";
}

// ---- the pools ----

async function refreshPools() {
  try {
    const body = await api("/v0/pools");
    renderPools(body.pools);
    showError(null);
  } catch (error) {
    if (!needToken(error)) {
      showError(error);
    }
  }
}

function renderPools(pools) {
  const tbody = $("pools").tBodies[0];
  tbody.replaceChildren();
  pools.sort((a, b) => a.name.localeCompare(b.name));
  for (const pool of pools) {
    const row = tbody.insertRow();
    row.dataset.pool = pool.name;
    const link = document.createElement("a");
    link.href = "#/pools/" + encodeURIComponent(pool.name);
    link.textContent = pool.name;
    row.insertCell().append(link);
    if (pool.error) {
      const cell = row.insertCell();
      cell.colSpan = 5;
      cell.className = "error";
      cell.textContent = pool.error.message;
      continue;
    }
    const m = pool.metrics;
    cell(row, m.message_count.toLocaleString(), "num count");
    cell(row, pool.bounds && pool.bounds.newest !== undefined ? String(pool.bounds.newest) : "–", "num");
    const use = row.insertCell();
    const meter = document.createElement("meter");
    meter.min = 0;
    meter.max = 100;
    meter.value = m.utilization.used_percent;
    use.append(meter, " " + m.utilization.used_percent.toFixed(1) + " %");
    use.title = bytes(m.utilization.used_bytes) + " used, " + bytes(m.utilization.free_bytes) + " free";
    cell(row, bytes(pool.file_size), "num");
    cell(row, m.age.newest_age_ms === null ? "–" : ago(m.age.newest_age_ms), "");
  }
  $("pools-empty").hidden = pools.length > 0;
}

function cell(row, text, className) {
  const c = row.insertCell();
  c.textContent = text;
  if (className) {
    c.className = className;
  }
  return c;
}

function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return (i === 0 ? String(n) : n.toFixed(1)) + " " + units[i];
}

function ago(ms) {
  if (ms < 1000) return "just now";
  if (ms < 60000) return Math.round(ms / 1000) + " s ago";
  if (ms < 3600000) return Math.round(ms / 60000) + " min ago";
  if (ms < 86400000) return Math.round(ms / 3600000) + " h ago";
  return Math.round(ms / 86400000) + " d ago";
}

// ---- one pool: the live view ----

/**
 * Reads one pool's events through fetch(): parses the SSE wire (id, event, data, retry, comments) and, when the
 * connection drops, reconnects after the server's retry delay with Last-Event-ID, so nothing is lost or shown twice.
 */
class LiveStream {
  constructor(pool, query, onMessage, onStatus, onError) {
    this.pool = pool;
    this.query = query;
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.onError = onError;
    this.lastEventId = null;
    this.retryMs = 2000;
    this.abort = new AbortController();
    this.closed = false;
  }

  start() {
    this.connect();
  }

  close() {
    this.closed = true;
    this.abort.abort();
  }

  async connect() {
    while (!this.closed) {
      let stop = false;
      try {
        stop = await this.read();
      } catch (error) {
        if (this.closed) {
          return;
        }
        if (error instanceof ApiError) {
          this.onStatus("error");
          this.onError(error);
          if (error.status !== 423 && error.status !== 503) {
            return; // a bad filter, a missing pool, no token: retrying will not help
          }
        }
      }
      if (this.closed || stop) {
        return;
      }
      this.onStatus("reconnecting");
      await new Promise((resolve) => setTimeout(resolve, this.retryMs));
    }
  }

  /** One connection; true if the stream ended with an error not worth reconnecting for. */
  async read() {
    const extra = { Accept: "text/event-stream" };
    if (this.lastEventId !== null) {
      extra["Last-Event-ID"] = this.lastEventId;
    }
    const url = "/v0/pools/" + encodeURIComponent(this.pool) + "/events?" + this.query;
    const response = await fetch(url, { headers: headers(extra), signal: this.abort.signal, cache: "no-store" });
    if (!response.ok) {
      const text = await response.text();
      let body = null;
      try {
        body = JSON.parse(text);
      } catch (e) {
        body = null;
      }
      throw errorOf(response.status, body, text);
    }
    this.onStatus("live");
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let event = { id: null, type: "message", data: [] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return false;
      }
      buffer += value;
      let newline;
      while ((newline = buffer.search(/\r\n|\n|\r/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
        if (line === "") {
          if (this.dispatch(event)) {
            return true;
          }
          event = { id: null, type: "message", data: [] };
        } else {
          this.field(event, line);
        }
      }
    }
  }

  field(event, line) {
    if (line.startsWith(":")) {
      return; // a heartbeat
    }
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) {
      value = value.slice(1);
    }
    if (name === "data") {
      event.data.push(value);
    } else if (name === "event") {
      event.type = value;
    } else if (name === "id") {
      event.id = value;
    } else if (name === "retry" && /^\d+$/.test(value)) {
      this.retryMs = Number(value);
    }
  }

  /** Handles a complete event; true when it is an error that ends the view. */
  dispatch(event) {
    if (event.id !== null) {
      this.lastEventId = event.id;
    }
    if (event.data.length === 0) {
      return false;
    }
    const payload = JSON.parse(event.data.join("\n"));
    if (event.type === "error") {
      const e = payload.error;
      this.onError(new ApiError(200, e.kind, e.message));
      // A client too slow or a server stopping: resume from the event's id. Anything else ends the view.
      return e.kind !== "Busy";
    }
    this.onMessage(payload);
    return false;
  }
}

const view = {
  pool: null,
  selected: null,
};

function filtersQuery() {
  const q = new URLSearchParams();
  for (const tag of $("filter-tags").value.split(",")) {
    if (tag.trim()) {
      q.append("tag", tag.trim());
    }
  }
  const where = $("filter-where").value.trim();
  if (where) {
    q.append("where", where);
  }
  const from = $("filter-from").value;
  if (from === "oldest") {
    q.append("since_seq", "1");
  } else {
    q.append("tail", from);
  }
  return q.toString();
}

function openPool(name) {
  view.pool = name;
  $("pool-name").textContent = name;
  $("publish").hidden = !canWrite();
  $("publish-result").textContent = "";
  startStream();
  refreshPoolStats();
}

function startStream() {
  stopStream();
  $("messages").tBodies[0].replaceChildren();
  $("messages-empty").hidden = false;
  select(null, null);
  if (!canRead()) {
    setStatus("error");
    $("messages-empty").textContent = "This server is write-only: it does not show messages.";
    return;
  }
  $("messages-empty").textContent = "Waiting for messages…";
  showError(null);
  state.stream = new LiveStream(view.pool, filtersQuery(), addMessage, setStatus, (error) => {
    if (!needToken(error)) {
      showError(error);
    }
  });
  state.stream.start();
}

function stopStream() {
  if (state.stream) {
    state.stream.close();
    state.stream = null;
  }
}

function setStatus(status) {
  const pill = $("stream-status");
  pill.dataset.status = status;
  pill.textContent = status;
}

function addMessage(envelope) {
  const tbody = $("messages").tBodies[0];
  const row = tbody.insertRow(0);
  row.dataset.seq = String(envelope.seq);
  cell(row, String(envelope.seq), "num seq");
  cell(row, envelope.time, "time");
  cell(row, envelope.meta.tags.join(", "), "tags");
  const data = JSON.stringify(envelope.data);
  cell(row, data.length > 300 ? data.slice(0, 300) + "…" : data, "data");
  row.addEventListener("click", () => select(row, envelope));
  while (tbody.rows.length > MAX_ROWS) {
    tbody.deleteRow(tbody.rows.length - 1);
  }
  $("messages-empty").hidden = true;
}

function select(row, envelope) {
  for (const r of document.querySelectorAll("#messages tr.selected")) {
    r.classList.remove("selected");
  }
  const pre = $("detail-json");
  if (!row) {
    pre.textContent = "Select a message.";
    pre.classList.add("muted");
    return;
  }
  row.classList.add("selected");
  pre.textContent = JSON.stringify(envelope, null, 2);
  pre.classList.remove("muted");
}

async function refreshPoolStats() {
  if (!view.pool || !canRead()) {
    $("pool-stats").textContent = "";
    return;
  }
  try {
    const info = (await api("/v0/pools/" + encodeURIComponent(view.pool) + "/info")).pool;
    const m = info.metrics;
    $("pool-stats").textContent = m.message_count.toLocaleString() + " messages, " + m.utilization.used_percent
      .toFixed(1) + " % of " + bytes(info.ring_size) + " used";
  } catch (error) {
    $("pool-stats").textContent = "";
  }
}

async function publish(event) {
  event.preventDefault();
  const result = $("publish-result");
  let data;
  try {
    data = JSON.parse($("publish-data").value);
  } catch (e) {
    result.textContent = "The data is not JSON: " + e.message;
    return;
  }
  const tags = $("publish-tags").value.split(",").map((t) => t.trim()).filter((t) => t);
  try {
    const body = await api("/v0/pools/" + encodeURIComponent(view.pool) + "/append", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data: data, tags: tags }),
    });
    result.textContent = "Appended as seq " + body.message.seq + ".";
    refreshPoolStats();
  } catch (error) {
    if (!needToken(error)) {
      result.textContent = error.message;
    }
  }
}

// ---- routing ----

async function route() {
  clearInterval(state.poolsTimer);
  stopStream();
  showError(null);
  try {
    await loadServer();
  } catch (error) {
    $("pools-view").hidden = true;
    $("pool-view").hidden = true;
    if (!needToken(error)) {
      showError(error);
    }
    return;
  }
  const match = location.hash.match(/^#\/pools\/(.+)$/);
  $("pools-view").hidden = Boolean(match);
  $("pool-view").hidden = !match;
  if (match) {
    openPool(decodeURIComponent(match[1]));
  } else {
    refreshPools();
    state.poolsTimer = setInterval(refreshPools, POOLS_REFRESH_MS);
  }
}

function init() {
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    setToken($("token").value.trim());
    $("token").value = "";
    route();
  });
  $("forget-token").addEventListener("click", () => {
    setToken(null);
    route();
  });
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    startStream();
  });
  $("clear-filters").addEventListener("click", () => {
    $("filter-tags").value = "";
    $("filter-where").value = "";
    startStream();
  });
  $("publish").addEventListener("submit", publish);
  window.addEventListener("hashchange", route);
  $("forget-token").hidden = !state.token;
  route();
}

init();
