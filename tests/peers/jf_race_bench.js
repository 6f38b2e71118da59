// Times jellyfin-apiclient's address race (ConnectionManager.connectToServer) over N simulated
// servers at once, one connectToServer per server, measured inside the process.
// argv[2]: JSON [{Id, Name, LocalAddress, RemoteAddress}, ...]
// Prints one JSON line: {ms, states: [...], modes: [...]} and exits (its timed-out fetches are
// never aborted, so the process must exit by itself).
globalThis.self = globalThis;
globalThis.window = globalThis;
const store = new Map();
globalThis.localStorage = {
  getItem: (k) => (store.has(k) ? store.get(k) : null),
  setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k),
};
for (const k of ['log', 'debug', 'info', 'warn', 'error']) console[k] = () => {};
const lib = require('jellyfin-apiclient');

async function main() {
  const servers = JSON.parse(process.argv[2]);
  const cm = new lib.ConnectionManager(new lib.Credentials(), 'emby-tui-bench', '1.0.0', 'bench', 'bench-device-node', {});
  const t0 = performance.now();
  const results = await Promise.all(
    servers.map((s) => cm.connectToServer(s, { enableWebSocket: false, reportCapabilities: false })),
  );
  const ms = performance.now() - t0;
  const addresses = results.map((r) => (r.ApiClient ? r.ApiClient.serverAddress() : null));
  process.stdout.write(JSON.stringify({ ms, states: results.map((r) => r.State), addresses }) + '\n');
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    process.stdout.write(JSON.stringify({ error: String(e) }) + '\n');
    process.exit(1);
  });
