// jellyfin-apiclient (npm) against simulated servers.
// argv[2]: JSON {mode: "server", server: {Id, Name, LocalAddress, RemoteAddress}, user, password}
// Runs the connection manager's address race (connectToServer), then, when it connected,
// signs in by name and lists the views. Prints one JSON object and exits (timed-out fetches
// of this library are never aborted, so the process must exit by itself).
globalThis.self = globalThis;
globalThis.window = globalThis;
const store = new Map();
globalThis.localStorage = {
  getItem: (k) => (store.has(k) ? store.get(k) : null),
  setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k),
};

// the library logs chattily through console.*; keep stdout for the one result line
const print = (o) => process.stdout.write(JSON.stringify(o) + '\n');
for (const k of ['log', 'debug', 'info', 'warn']) console[k] = () => {};

const lib = require('jellyfin-apiclient');

async function main() {
  const args = JSON.parse(process.argv[2]);
  const cm = new lib.ConnectionManager(new lib.Credentials(), 'emby-tui-peer', '1.0.0', 'peer-test', 'peer-device-node', {});
  const result = await cm.connectToServer(args.server, { enableWebSocket: false, reportCapabilities: false });
  const out = { state: result.State };
  if (result.ApiClient) {
    const api = result.ApiClient;
    out.address = api.serverAddress();
    if (args.user) {
      const auth = await api.authenticateUserByName(args.user, args.password);
      out.signed_in_user = auth.User.Name;
      const views = await api.getUserViews({}, auth.User.Id);
      out.views = views.Items.map((v) => v.Name);
    }
  }
  print(out);
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    print({ error: String(e && e.stack ? e.stack : e) });
    process.exit(1);
  });
