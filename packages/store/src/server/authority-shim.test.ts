// The authority repair, and the shim between a real HTTP/2 client and server in this process.
import http2 from 'node:http2';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthorityRepairingConnection, repairAuthorities, repairAuthority } from './authority-shim.ts';

describe('repairAuthority', () => {
  it('keeps authorities as they are', () => {
    for (const authority of ['127.0.0.1:2379', 'localhost', '[::1]:2379', 'etcd-0.etcd.svc', '']) {
      expect(repairAuthority(authority)).toBe(authority);
    }
  });

  it('takes host[:port] out of URLs', () => {
    expect(repairAuthority('http://127.0.0.1:2379')).toBe('127.0.0.1:2379');
    expect(repairAuthority('https://[::1]:2379/')).toBe('[::1]:2379');
    expect(repairAuthority('http://user:secret@etcd:2379/v3/kv?x=1#f')).toBe('etcd:2379');
    expect(repairAuthority('user@etcd:2379')).toBe('etcd:2379');
  });

  it('leaves what it cannot repair for the server to refuse', () => {
    expect(repairAuthority('http://bad host/')).toBe('http://bad host/');
  });

  it('repairs :authority and host, nothing else', () => {
    const fields = [
      { name: ':authority', value: 'http://127.0.0.1:2379', neverIndexed: false },
      { name: 'host', value: 'http://127.0.0.1:2379', neverIndexed: true },
      { name: ':path', value: '/etcdserverpb.Maintenance/Status', neverIndexed: false },
      { name: 'x-url', value: 'http://127.0.0.1:2379', neverIndexed: false },
    ];
    expect(repairAuthorities(fields)).toEqual([
      { name: ':authority', value: '127.0.0.1:2379', neverIndexed: false },
      { name: 'host', value: '127.0.0.1:2379', neverIndexed: true },
      fields[2],
      fields[3],
    ]);
  });
});

describe('AuthorityRepairingConnection', () => {
  const closers: Array<() => void> = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  /** An HTTP/2 server answering with the :authority it got, behind the shim on 127.0.0.1. */
  async function startServer(): Promise<number> {
    const server = http2.createServer();
    server.on('stream', (stream, headers) => {
      stream.respond({ ':status': 200 });
      stream.end(String(headers[':authority']));
    });
    const listener = net.createServer((socket) => server.emit('connection', new AuthorityRepairingConnection(socket)));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    closers.push(() => {
      listener.close();
      server.close();
    });
    return (listener.address() as net.AddressInfo).port;
  }

  function connect(port: number): http2.ClientHttp2Session {
    const client = http2.connect(`http://127.0.0.1:${port}`);
    client.on('error', () => {});
    closers.push(() => client.destroy());
    return client;
  }

  function get(client: http2.ClientHttp2Session, authority: string, body?: Buffer): Promise<string> {
    return new Promise((resolve, reject) => {
      const request = client.request({ ':method': body ? 'POST' : 'GET', ':path': '/', ':authority': authority });
      let text = '';
      request.setEncoding('utf8');
      request.on('data', (piece: string) => (text += piece));
      request.on('end', () => resolve(text));
      request.on('error', reject);
      request.end(body);
    });
  }

  it('lets requests with a URL for :authority through, repaired', async () => {
    const client = connect(await startServer());
    expect(await get(client, 'http://127.0.0.1:2379')).toBe('127.0.0.1:2379');
    // Later requests refer to the client's dynamic table: the shim follows it.
    expect(await get(client, 'http://127.0.0.1:2379')).toBe('127.0.0.1:2379');
    expect(await get(client, 'etcd:2379')).toBe('etcd:2379');
    expect(await get(client, 'http://127.0.0.1:2379', Buffer.alloc(200_000, 1))).toBe('127.0.0.1:2379');
  });

  it('drops a connection that breaks the framing, and keeps serving others', async () => {
    const port = await startServer();
    const broken = net.connect(port, '127.0.0.1');
    // A HEADERS frame whose block refers to index 0, which does not exist.
    broken.end(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from('000001010500000001' + '80', 'hex')]));
    broken.resume();
    await new Promise((resolve) => broken.on('close', resolve));
    expect(await get(connect(port), 'http://127.0.0.1:2379')).toBe('127.0.0.1:2379');
  });
});
