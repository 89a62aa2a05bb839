// The first program inside a sandbox with its own network: it listens on 127.0.0.1 at each allowed port and
// carries every connection over a unix socket to the host (network-bridge.ts), then runs the real command and
// exits as it does. Plain JavaScript for `node -e`: it must run from an installed package without a loader.
export const innerInitScript = String.raw`
const net = require('node:net');
const { spawn } = require('node:child_process');
const config = JSON.parse(process.argv[1]);
const argv = process.argv.slice(2);
function relay(client, socketPath) {
  const upstream = net.connect(socketPath);
  const end = () => { client.destroy(); upstream.destroy(); };
  client.on('error', end); upstream.on('error', end); client.on('close', end); upstream.on('close', end);
  client.pipe(upstream).pipe(client);
}
function listen(port, host, socketPath) {
  return new Promise((resolve, reject) => {
    const server = net.createServer((client) => relay(client, socketPath));
    server.once('error', reject);
    server.listen(port, host, () => { server.unref(); resolve(); });
  });
}
const listening = config.forwards.flatMap((f) => [
  listen(f.port, '127.0.0.1', f.socket),
  listen(f.port, '::1', f.socket).catch(() => undefined),
]);
Promise.all(listening).then(() => {
  const child = spawn(argv[0], argv.slice(1), { stdio: 'inherit' });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    process.stderr.write('orch sandbox: cannot start ' + argv[0] + ': ' + error.message + '\n');
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    process.exit(code === null ? 1 : code);
  });
}, (error) => {
  process.stderr.write('orch sandbox: cannot open the network bridge: ' + error.message + '\n');
  process.exit(125);
});
`;
