// Connects to a hub with the official npm SignalR client, joins a document and prints what it hears as JSON lines.
//   node hub-listener.js <base url> <document id>
const signalR = require("@microsoft/signalr");
const [base, documentId] = process.argv.slice(2);
const out = (event, data) => console.log(JSON.stringify({ event, data }));
const connection = new signalR.HubConnectionBuilder().withUrl(base + "/hubs/documents")
  .configureLogging(signalR.LogLevel.Warning).build();
connection.on("DocumentChanged", (id, change) => out("changed", { id, change }));
connection.onclose((e) => { out("closed", String(e || "")); process.exit(0); });
connection.start()
  .then(() => connection.invoke("JoinDocument", documentId))
  .then((present) => out("joined", { transport: connection.connection.transport.constructor.name, present }))
  .catch((e) => { out("failed", String(e)); process.exit(1); });
