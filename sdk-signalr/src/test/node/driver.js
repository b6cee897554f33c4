// Drives the official @microsoft/signalr client for sdk-signalr's ITs: one JSON command per stdin line,
// one JSON event per stdout line. Nothing here knows the test's expectations; the Java side asserts.
"use strict";
const signalR = require("@microsoft/signalr");
const { MessagePackHubProtocol } = require("@microsoft/signalr-protocol-msgpack");
const readline = require("readline");

const connections = new Map();
const emit = (event) => process.stdout.write(JSON.stringify(event) + "\n");
const plain = (value) => (value instanceof Uint8Array ? Array.from(value) : value);

async function connect(c) {
  const options = {
    transport: signalR.HttpTransportType[c.transport || "WebSockets"],
    skipNegotiation: !!c.skipNegotiation,
  };
  if (c.token) options.accessTokenFactory = () => c.token;
  let builder = new signalR.HubConnectionBuilder().withUrl(c.url, options)
    .configureLogging(c.log ? signalR.LogLevel.Debug : signalR.LogLevel.None);
  if (c.protocol === "messagepack") builder = builder.withHubProtocol(new MessagePackHubProtocol());
  if (c.stateful) builder = builder.withStatefulReconnect();
  if (c.reconnect) builder = builder.withAutomaticReconnect([0, 200, 500, 1000, 1000, 2000]);
  if (c.serverTimeoutMs) builder = builder.withServerTimeout(c.serverTimeoutMs);
  const connection = builder.build();
  connections.set(c.id, connection);
  connection.onclose((e) => emit({ event: "closed", id: c.id, error: e ? String(e.message || e) : null }));
  connection.onreconnecting((e) => emit({ event: "reconnecting", id: c.id, error: e ? String(e.message || e) : null }));
  connection.onreconnected((connectionId) => emit({ event: "reconnected", id: c.id, connectionId }));
  try {
    await connection.start();
    emit({ event: "connected", id: c.id, connectionId: connection.connectionId,
           transport: c.transport || "WebSockets" });
  } catch (e) {
    emit({ event: "failed", id: c.id, error: String(e.message || e), status: e.statusCode });
  }
}

async function handle(cmd) {
  const connection = connections.get(cmd.id);
  switch (cmd.cmd) {
    case "connect":
      return connect(cmd);
    case "on":
      connection.on(cmd.method, (...args) =>
        emit({ event: "message", id: cmd.id, method: cmd.method, args: args.map(plain) }));
      return emit({ event: "listening", id: cmd.id, ref: cmd.ref });
    case "answer":
      connection.on(cmd.method, (...args) => {
        emit({ event: "asked", id: cmd.id, method: cmd.method, args: args.map(plain) });
        if (cmd.error) throw new Error(cmd.error);
        return cmd.value;
      });
      return emit({ event: "listening", id: cmd.id, ref: cmd.ref });
    case "invoke":
      try {
        const value = await connection.invoke(cmd.method, ...(cmd.args || []));
        return emit({ event: "result", id: cmd.id, ref: cmd.ref, value: plain(value === undefined ? null : value) });
      } catch (e) {
        return emit({ event: "error", id: cmd.id, ref: cmd.ref, error: String(e.message || e) });
      }
    case "send":
      await connection.send(cmd.method, ...(cmd.args || []));
      return emit({ event: "sent", id: cmd.id, ref: cmd.ref });
    case "stream": {
      const items = [];
      let subscription;
      subscription = connection.stream(cmd.method, ...(cmd.args || [])).subscribe({
        next: (item) => {
          items.push(plain(item));
          emit({ event: "item", id: cmd.id, ref: cmd.ref, item: plain(item) });
          if (cmd.cancelAfter && items.length === cmd.cancelAfter) {
            subscription.dispose();
            emit({ event: "cancelled", id: cmd.id, ref: cmd.ref, items });
          }
        },
        complete: () => emit({ event: "complete", id: cmd.id, ref: cmd.ref, items }),
        error: (e) => emit({ event: "error", id: cmd.id, ref: cmd.ref, error: String(e.message || e) }),
      });
      return;
    }
    case "upload": {
      const subject = new signalR.Subject();
      const done = connection.invoke(cmd.method, subject, ...(cmd.args || []));
      for (const item of cmd.items) subject.next(item);
      subject.complete();
      try {
        return emit({ event: "result", id: cmd.id, ref: cmd.ref, value: await done });
      } catch (e) {
        return emit({ event: "error", id: cmd.id, ref: cmd.ref, error: String(e.message || e) });
      }
    }
    case "stop":
      await connection.stop();
      return emit({ event: "stopped", id: cmd.id, ref: cmd.ref });
    case "exit":
      process.exit(0);
  }
}

emit({ event: "ready" });
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  if (!line.trim()) return;
  const cmd = JSON.parse(line);
  handle(cmd).catch((e) => emit({ event: "error", id: cmd.id, ref: cmd.ref, error: String(e.stack || e) }));
});
process.stdin.on("end", () => process.exit(0));
