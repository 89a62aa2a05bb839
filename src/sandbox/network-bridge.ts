// The host side of a sandbox's network: unix sockets in a private directory, bound read-only into the sandbox.
// One per allowed loopback port (a model server on 127.0.0.1) carries bytes to that port; one more is an HTTP
// proxy (CONNECT, and plain http with an absolute URL) that lets through only the allowed remote hosts.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HostPort {
  host: string;
  port: number;
}

export interface NetworkBridge {
  /** The directory of the sockets (short, under the OS temp dir: a unix socket path is at most 107 bytes). */
  dir: string;
  /** Loopback ports: the sandbox listens on 127.0.0.1:port and relays to `socket`. */
  forwards: { port: number; socket: string }[];
  /** The filtering proxy's socket, and the port it listens on inside the sandbox. Absent: no remote host allowed. */
  proxy: { port: number; socket: string } | undefined;
  close(): Promise<void>;
}

export const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function pipeBoth(a: Socket, b: Socket): void {
  const end = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', end);
  b.on('error', end);
  a.on('close', end);
  b.on('close', end);
  a.pipe(b).pipe(a);
}

/** Every connection a server took, so closing the bridge ends them too (the sandbox is gone by then). */
const openSockets = new WeakMap<Server, Set<Socket>>();

function listenOn(server: Server, path: string): Promise<void> {
  const sockets = new Set<Socket>();
  openSockets.set(server, sockets);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
}

/** Whether `host:port` is one the proxy lets through: an entry without a port allows 80 and 443. */
export function hostAllowed(allowed: readonly HostPort[], host: string, port: number): boolean {
  const name = host.toLowerCase();
  return allowed.some((entry) => {
    const portOk = entry.port === 0 ? port === 443 || port === 80 : entry.port === port;
    if (!portOk) return false;
    if (entry.host.startsWith('*.')) return name.endsWith(entry.host.slice(1));
    return name === entry.host;
  });
}

function proxyServer(allowed: readonly HostPort[]): Server {
  const server = createHttpServer((req, res) => {
    // Plain http through a proxy: the request line holds the absolute URL.
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('orch sandbox: proxy requests need an absolute URL\n');
      return;
    }
    const port = Number(url.port || 80);
    if (url.protocol !== 'http:' || !hostAllowed(allowed, url.hostname, port)) {
      res.writeHead(403).end(`orch sandbox: ${url.host} is not on the allowed hosts (sandbox.allowHosts)\n`);
      return;
    }
    const upstream = httpRequest({ host: url.hostname, port, method: req.method, path: `${url.pathname}${url.search}`, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const [host = '', portText = '443'] = (req.url ?? '').replace(/^\[|\](?=:)/g, '').split(/:(?=\d+$)/);
    const port = Number(portText);
    if (!hostAllowed(allowed, host, port)) {
      client.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\norch sandbox: ${host}:${port} is not on the allowed hosts (sandbox.allowHosts)\n`);
      return;
    }
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      pipeBoth(client, upstream);
    });
    upstream.once('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
  });
  return server;
}

/** The port the proxy takes inside the sandbox: one no forwarded port uses. */
function freeInnerPort(taken: ReadonlySet<number>): number {
  let port = 3128;
  while (taken.has(port)) port++;
  return port;
}

export async function openNetworkBridge(loopbackPorts: readonly HostPort[], remote: readonly HostPort[]): Promise<NetworkBridge> {
  const dir = mkdtempSync(join(tmpdir(), 'orch-net-'));
  const servers: Server[] = [];
  const forwards: NetworkBridge['forwards'] = [];
  try {
    for (const target of loopbackPorts) {
      const socket = join(dir, `${target.port}.sock`);
      const server = createServer((client) => pipeBoth(client, connect(target.port, target.host === 'localhost' ? '127.0.0.1' : target.host.replace(/^\[|\]$/g, ''))));
      servers.push(server);
      await listenOn(server, socket);
      forwards.push({ port: target.port, socket });
    }
    let proxy: NetworkBridge['proxy'];
    if (remote.length > 0) {
      const socket = join(dir, 'proxy.sock');
      const server = proxyServer(remote);
      servers.push(server);
      await listenOn(server, socket);
      proxy = { port: freeInnerPort(new Set(forwards.map((forward) => forward.port))), socket };
    }
    const close = async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              for (const socket of openSockets.get(server) ?? []) socket.destroy();
            }),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    };
    return { dir, forwards, proxy, close };
  } catch (error) {
    for (const server of servers) server.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
