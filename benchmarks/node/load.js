// Scale load for a document-collaboration hub: CLIENTS WebSocket clients spread over two servers and
// GROUPS documents; senders post timestamped changes at RATE per second for SECONDS; every receiver
// records end-to-end latency. Prints one JSON line. Bounded: each client is one socket on loopback.
// Usage: node load.js KIND URL_A URL_B CLIENTS GROUPS RATE SECONDS
// KIND: signalr | socketio (the official clients), or signalr-raw | socketio-raw: thin clients on the `ws`
// package speaking each wire protocol directly, so the load generator (one Node thread) is not what saturates.
"use strict";
const signalR = require("@microsoft/signalr");
const { io } = require("socket.io-client");
const WebSocket = require("ws");

const [kind, urlA, urlB, clientsArg, groupsArg, rateArg, secondsArg] = process.argv.slice(2);
const CLIENTS = Number(clientsArg), GROUPS = Number(groupsArg), RATE = Number(rateArg), SECONDS = Number(secondsArg);
const PIDS = (process.env.SERVER_PIDS || "").split(",").filter(Boolean);
const rss = () => PIDS.reduce((sum, pid) => sum + Number(/VmRSS:\s+(\d+) kB/.exec(
  require("fs").readFileSync(`/proc/${pid}/status`, "utf8"))[1]) * 1024, 0);
const latencies = [];
const perSecond = new Map();   // DETAIL=1: the worst latency each second, to see what the tail lines up with
let delivered = 0;
let measuring = false;

function onChange(documentId, change) {
  if (!measuring) return;
  delivered++;
  const now = Number(process.hrtime.bigint() / 1000n);
  latencies.push(now - change.sentUs);
  if (process.env.DETAIL) {
    const second = Math.floor(now / 1e6);
    perSecond.set(second, Math.max(perSecond.get(second) || 0, now - change.sentUs));
  }
}

async function signalrClient(url) {
  const c = new signalR.HubConnectionBuilder()
    .withUrl(url, { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
    .configureLogging(signalR.LogLevel.None).build();
  c.on("DocumentChanged", onChange);
  await c.start();
  return { join: (d) => c.invoke("JoinDocument", d), send: (d, ch) => c.send("SendChange", d, ch),
           close: () => c.stop() };
}

function socketioClient(url) {
  return new Promise((resolve, reject) => {
    const s = io(url, { transports: ["websocket"], reconnection: false, forceNew: true });
    s.on("DocumentChanged", onChange);
    s.on("connect", () => resolve({
      join: (d) => new Promise((r) => s.emit("JoinDocument", d, r)),
      send: (d, ch) => s.emit("SendChange", d, ch),
      close: () => s.close(),
    }));
    s.on("connect_error", reject);
  });
}

const RS = "\x1e";
const rawSockets = [];

/** SignalR's JSON hub protocol over a bare WebSocket (skipNegotiation), as HubProtocol.md defines it. */
function signalrRaw(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, "ws"));
    const pending = new Map();
    let next = 0;
    let open = false;
    const api = {
      join: (d) => new Promise((r) => {
        const id = String(++next);
        pending.set(id, r);
        ws.send(JSON.stringify({ type: 1, invocationId: id, target: "JoinDocument", arguments: [d] }) + RS);
      }),
      send: (d, ch) => ws.send(JSON.stringify({ type: 1, target: "SendChange", arguments: [d, ch] }) + RS),
      ping: () => ws.send('{"type":6}' + RS),
      close: async () => ws.close(),
    };
    ws.on("open", () => ws.send('{"protocol":"json","version":1}' + RS));
    ws.on("message", (data) => {
      for (const part of data.toString().split(RS)) {
        if (!part) continue;
        const m = JSON.parse(part);
        if (!open) { open = true; rawSockets.push(api); resolve(api); continue; }
        if (m.type === 1 && m.target === "DocumentChanged") onChange(m.arguments[0], m.arguments[1]);
        else if (m.type === 3 && pending.has(m.invocationId)) { pending.get(m.invocationId)(m); pending.delete(m.invocationId); }
      }
    });
    ws.on("error", reject);
  });
}

/** Socket.IO v4 over a bare WebSocket: engine.io open/ping, socket.io connect, events and acks. */
function socketioRaw(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, "ws") + "/socket.io/?EIO=4&transport=websocket");
    const acks = new Map();
    let next = 0;
    const api = {
      join: (d) => new Promise((r) => {
        const id = String(next++);
        acks.set(id, r);
        ws.send("42" + id + JSON.stringify(["JoinDocument", d]));
      }),
      send: (d, ch) => ws.send("42" + JSON.stringify(["SendChange", d, ch])),
      ping: () => {},
      close: async () => ws.close(),
    };
    ws.on("message", (data) => {
      const t = data.toString();
      if (t[0] === "0") ws.send("40");
      else if (t === "2") ws.send("3");
      else if (t.startsWith("40")) resolve(api);
      else if (t.startsWith("42")) {
        const [event, a, b] = JSON.parse(t.slice(2));
        if (event === "DocumentChanged") onChange(a, b);
      } else if (t.startsWith("43")) {
        const id = /^43(\d+)/.exec(t)[1];
        const cb = acks.get(id);
        acks.delete(id);
        if (cb) cb(JSON.parse(t.slice(2 + id.length)));
      }
    });
    ws.on("error", reject);
  });
}

(async () => {
  const make = { signalr: signalrClient, socketio: socketioClient, "signalr-raw": signalrRaw,
                 "socketio-raw": socketioRaw }[kind];
  // thin SignalR clients ping every 10 s like the official client (15 s), each on its own phase: one burst
  // of every client at once would measure the burst, not the fan-out
  let pingCursor = 0;
  setInterval(() => {
    const share = Math.ceil(rawSockets.length / 100);
    for (let k = 0; k < share && rawSockets.length; k++) rawSockets[pingCursor++ % rawSockets.length].ping();
  }, 100).unref();
  const clients = [];
  const rssBefore = rss();
  const t0 = Date.now();
  const BATCH = 200;   // connect in bounded batches so the servers see a burst, not an unbounded flood
  for (let i = 0; i < CLIENTS; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(CLIENTS, i + BATCH); j++) {
      // client j joins document j mod GROUPS on server floor(j / GROUPS) mod 2: every document has members on
      // both servers, so each change crosses the backplane
      batch.push(make(Math.floor(j / GROUPS) % 2 === 0 ? urlA : urlB).then(async (c) => { await c.join("doc" + (j % GROUPS)); return c; }));
    }
    clients.push(...(await Promise.all(batch)));
  }
  const connectSeconds = (Date.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 3000));
  const bytesPerConnection = PIDS.length ? (rss() - rssBefore) / CLIENTS : null;
  // one sender per group; each send reaches the group's other members on both servers
  const senders = [];
  for (let g = 0; g < GROUPS; g++) senders.push([g, clients[g]]);
  process.send && process.send("connected");
  console.error(JSON.stringify({ phase: "connected", clients: clients.length, connectSeconds }));
  await new Promise((r) => setTimeout(r, 2000));
  // warm-up at the same rate (JIT, pools, buffers), not measured
  let sent = 0;
  let start = Date.now();
  const send = () => {
    const due = Math.floor(((Date.now() - start) / 1000) * RATE) - sent;
    for (let k = 0; k < due; k++, sent++) {
      const [g, c] = senders[sent % senders.length];
      c.send("doc" + g, { text: "edit " + sent, sentUs: Number(process.hrtime.bigint() / 1000n) });
    }
  };
  const warm = setInterval(send, 10);
  await new Promise((r) => setTimeout(r, 5000));
  clearInterval(warm);
  await new Promise((r) => setTimeout(r, 1000));
  measuring = true;
  sent = 0;
  start = Date.now();
  const timer = setInterval(send, 10);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  clearInterval(timer);
  const elapsed = (Date.now() - start) / 1000;
  await new Promise((r) => setTimeout(r, 2000));   // let what is in flight arrive
  measuring = false;
  if (process.env.DETAIL) console.error(JSON.stringify([...perSecond.values()].map((v) => Math.round(v / 1000))));
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] / 1000 : null;
  const expected = sent * (CLIENTS / GROUPS - 1);
  console.log(JSON.stringify({ kind, clients: clients.length, groups: GROUPS, connectPerSecond: CLIENTS / connectSeconds,
    serverKiBPerConnection: bytesPerConnection === null ? null : bytesPerConnection / 1024,
    sent, offeredPerSecond: RATE, delivered, expected, deliveredPerSecond: delivered / elapsed,
    p50ms: q(0.5), p99ms: q(0.99), maxMs: q(1) }));
  await Promise.all(clients.map((c) => c.close().catch?.(() => {}) ));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
