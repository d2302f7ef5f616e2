// Network partitions between store members without root: every member advertises a peer URL
// that is a TCP proxy run by the test, listening on its own port and forwarding to the
// member's real peer listener. Members reach each other only through these proxies, so the
// test decides which links carry traffic.
//
// A proxy knows where a connection goes (its own member) and learns where it comes from by
// reading the first HTTP request head: etcd and k8ts members both name themselves in the
// X-Server-From header on Raft traffic (streams, pipelined appends, snapshots). Connections
// without it (version probes, /members) count as coming from nobody in particular: they are
// cut while their destination has any link cut.
//
// A cut link behaves like a network dropping packets, not like one refusing connections:
// bytes on its connections are discarded in both directions and new connections are accepted
// and then ignored, so members find out only by their own timeouts. Healing destroys those
// connections (their byte streams lost data midway) and members redial.
import net from 'node:net';

const MAX_HEAD_BYTES = 16 * 1024;

interface ProxiedConnection {
  from: string | undefined;
  to: string;
  downstream: net.Socket;
  upstream?: net.Socket;
  /** Set once its link has been cut: it carries nothing more and dies at the next heal. */
  blackholed: boolean;
}

export class PeerProxies {
  private readonly servers = new Map<string, net.Server>();
  private readonly connections = new Set<ProxiedConnection>();
  /** Member names by hex member ID (X-Server-From), filled in once the cluster runs. */
  private readonly names = new Map<string, string>();
  /** Cut links, stored both ways as "a|b". */
  private readonly cut = new Set<string>();

  /** Starts a proxy for member `name` on `listenPort`, forwarding to `targetPort`. */
  async add(name: string, listenPort: number, targetPort: number): Promise<void> {
    const server = net.createServer((socket) => this.accept(name, targetPort, socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listenPort, '127.0.0.1', () => resolve());
    });
    this.servers.set(name, server);
  }

  /** Tells the proxies which member a hex member ID is. */
  learnMemberId(hexId: string, name: string): void {
    this.names.set(hexId.toLowerCase(), name);
  }

  /** Cuts every link between a member of `side` and a member outside it. */
  partition(side: string[]): void {
    for (const a of side) {
      for (const b of this.servers.keys()) if (!side.includes(b)) this.cutLink(a, b);
    }
  }

  /** Restores every link. */
  heal(): void {
    this.cut.clear();
    for (const conn of [...this.connections]) if (conn.blackholed) this.drop(conn);
  }

  /** A readable summary of the cut links, e.g. "n1|n2, n1|n3". */
  describeCuts(): string {
    return [...this.cut].filter((link) => link.split('|')[0] < link.split('|')[1]).join(', ') || 'none';
  }

  /** Stops the proxies and drops every connection. */
  async close(): Promise<void> {
    for (const conn of [...this.connections]) this.drop(conn);
    await Promise.all([...this.servers.values()].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  private drop(conn: ProxiedConnection): void {
    this.connections.delete(conn);
    conn.downstream.destroy();
    conn.upstream?.destroy();
  }

  private cutLink(a: string, b: string): void {
    this.cut.add(`${a}|${b}`).add(`${b}|${a}`);
    for (const conn of this.connections) if (!this.allowed(conn)) conn.blackholed = true;
  }

  private allowed(conn: Pick<ProxiedConnection, 'from' | 'to'>): boolean {
    if (conn.from === undefined) return ![...this.cut].some((link) => link.startsWith(`${conn.to}|`));
    return !this.cut.has(`${conn.from}|${conn.to}`);
  }

  /** Reads the request head to learn the sender, then connects upstream (or blackholes). */
  private accept(to: string, targetPort: number, downstream: net.Socket): void {
    let head = Buffer.alloc(0);
    downstream.setNoDelay(true); // Raft messages are small: Nagle + delayed ACKs would add latency
    const conn: ProxiedConnection = { from: undefined, to, downstream, blackholed: false };
    this.connections.add(conn);
    downstream.on('error', () => this.drop(conn));
    downstream.on('close', () => this.drop(conn));
    const onHead = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0 && head.length < MAX_HEAD_BYTES) return;
      downstream.off('data', onHead);
      const sender = /^x-server-from:\s*([0-9a-f]+)\s*$/im.exec(head.subarray(0, end < 0 ? head.length : end).toString('latin1'));
      conn.from = sender ? this.names.get(sender[1].toLowerCase()) : undefined;
      if (!this.allowed(conn)) conn.blackholed = true; // held open, going nowhere, until healed
      else this.connectUpstream(conn, targetPort, head);
    };
    downstream.on('data', onHead);
  }

  private connectUpstream(conn: ProxiedConnection, targetPort: number, head: Buffer): void {
    const upstream = net.connect(targetPort, '127.0.0.1');
    upstream.setNoDelay(true);
    conn.upstream = upstream;
    upstream.on('error', () => this.drop(conn));
    upstream.on('close', () => this.drop(conn));
    upstream.write(head);
    // Bytes flow only while the link is up; once cut, they are read and dropped.
    conn.downstream.on('data', (chunk: Buffer) => {
      if (!conn.blackholed) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!conn.blackholed) conn.downstream.write(chunk);
    });
  }
}
