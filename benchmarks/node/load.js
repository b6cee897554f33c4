// Scale load for a document-collaboration hub: CLIENTS WebSocket clients spread over two servers and
// GROUPS documents; senders post timestamped changes at RATE per second for SECONDS; every receiver
// records end-to-end latency. Prints one JSON line. Bounded: each client is one socket on loopback.
// Usage: node load.js signalr|socketio URL_A URL_B CLIENTS GROUPS RATE SECONDS
"use strict";
const signalR = require("@microsoft/signalr");
const { io } = require("socket.io-client");

const [kind, urlA, urlB, clientsArg, groupsArg, rateArg, secondsArg] = process.argv.slice(2);
const CLIENTS = Number(clientsArg), GROUPS = Number(groupsArg), RATE = Number(rateArg), SECONDS = Number(secondsArg);
const PIDS = (process.env.SERVER_PIDS || "").split(",").filter(Boolean);
const rss = () => PIDS.reduce((sum, pid) => sum + Number(/VmRSS:\s+(\d+) kB/.exec(
  require("fs").readFileSync(`/proc/${pid}/status`, "utf8"))[1]) * 1024, 0);
const latencies = [];
let delivered = 0;
let measuring = false;

function onChange(documentId, change) {
  if (!measuring) return;
  delivered++;
  latencies.push(Number(process.hrtime.bigint() / 1000n) - change.sentUs);
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

(async () => {
  const make = kind === "signalr" ? signalrClient : socketioClient;
  const clients = [];
  const rssBefore = rss();
  const t0 = Date.now();
  const BATCH = 200;   // connect in bounded batches so the servers see a burst, not an unbounded flood
  for (let i = 0; i < CLIENTS; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(CLIENTS, i + BATCH); j++) {
      batch.push(make(j % 2 === 0 ? urlA : urlB).then(async (c) => { await c.join("doc" + (j % GROUPS)); return c; }));
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
  measuring = true;
  let sent = 0;
  const start = Date.now();
  const tickMs = 10;
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - start) / 1000) * RATE) - sent;
    for (let k = 0; k < due; k++, sent++) {
      const [g, c] = senders[sent % senders.length];
      c.send("doc" + g, { text: "edit " + sent, sentUs: Number(process.hrtime.bigint() / 1000n) });
    }
  }, tickMs);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  clearInterval(timer);
  const elapsed = (Date.now() - start) / 1000;
  await new Promise((r) => setTimeout(r, 2000));   // let what is in flight arrive
  measuring = false;
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
