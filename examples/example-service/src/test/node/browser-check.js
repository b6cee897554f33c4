// The collaboration page in headless Chromium (Debian's, driven by playwright-core) on instance A, and the
// npm client in Node on instance B: each must see the other's change. Prints one JSON line; exit 0 = seen.
"use strict";
const { chromium } = require("playwright-core");
const signalR = require("@microsoft/signalr");

const [pageUrl, hubUrl, documentId] = process.argv.slice(2);
const fail = (e) => { console.log(JSON.stringify({ ok: false, error: String(e && e.stack || e) })); process.exit(1); };

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${pageUrl}?document=${documentId}`);
    await page.waitForFunction(() => document.getElementById("status").textContent === "connected", null,
      { timeout: 15000 }).catch(async (e) => {
        throw new Error(`the page did not connect: status "${await page.textContent("#status")}"; ${e.message}`);
      });

    const node = new signalR.HubConnectionBuilder().withUrl(hubUrl)
      .configureLogging(signalR.LogLevel.None).build();
    const fromBrowser = new Promise((resolve) => node.on("DocumentChanged", (id, change) => resolve({ id, change })));
    await node.start();
    const present = await node.invoke("JoinDocument", documentId);

    await node.invoke("SendChange", documentId, { text: "typed in node on B" });
    await page.waitForSelector("#log li.change", { timeout: 15000 });
    const shown = await page.textContent("#log li.change");

    await page.fill("#text", "typed in the browser on A");
    await page.click("button");
    const received = await Promise.race([fromBrowser,
      new Promise((_, reject) => setTimeout(() => reject(new Error("no change from the browser in 15 s")), 15000))]);
    await node.stop();
    console.log(JSON.stringify({ ok: true, present: present.length, shown, received }));
  } finally {
    await browser.close();
  }
  process.exit(0);
})().catch(fail);
