import fs from 'node:fs';
import net from 'node:net';

/** Where the kernel takes ephemeral ports from (for outgoing connections and binds to port 0). */
function ephemeralRangeStart(): number {
  try {
    const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    return Number(low) || 32768;
  } catch {
    return 32768;
  }
}

const LOWEST = 20000;
const ATTEMPTS = 50;

function bindable(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago. Chosen below the ephemeral range: a port
 * from inside it (what binding port 0 gives) can be taken by any outgoing connection — a peer
 * stream, a client — between this check and the member's own bind, and the member then fails
 * with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  const highest = ephemeralRangeStart() - 1;
  for (let i = 0; i < ATTEMPTS && highest > LOWEST; i++) {
    const port = await bindable(LOWEST + Math.floor(Math.random() * (highest - LOWEST)));
    if (port !== undefined) return port;
  }
  const port = await bindable(0);
  if (port === undefined) throw new Error('no free TCP port on 127.0.0.1');
  return port;
}
