// The peer: the same document-collaboration contract as sdk-signalr's DocumentHub, on Socket.IO with the
// Redis adapter (what Node teams pick for the job). Usage: node socketio-server.js PORT REDIS_URL
"use strict";
const { createServer } = require("http");
const { Server } = require("socket.io");
const { createAdapter } = require("@socket.io/redis-adapter");
const { createClient } = require("redis");

const [port, redisUrl] = process.argv.slice(2);
(async () => {
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const http = createServer();
  const io = new Server(http, { adapter: createAdapter(pub, sub), transports: ["websocket"] });
  const revisions = new Map();
  io.on("connection", (socket) => {
    socket.on("JoinDocument", async (documentId, ack) => {
      socket.join("document:" + documentId);
      ack((await io.in("document:" + documentId).fetchSockets()).length);
    });
    socket.on("SendChange", (documentId, change, ack) => {
      const revision = (revisions.get(documentId) || 0) + 1;
      revisions.set(documentId, revision);
      socket.to("document:" + documentId).emit("DocumentChanged", documentId, { ...change, revision, by: "anonymous" });
      if (ack) ack();
    });
  });
  http.listen(Number(port), "127.0.0.1", () => console.log("READY " + port));
})().catch((e) => { console.error(e); process.exit(1); });
