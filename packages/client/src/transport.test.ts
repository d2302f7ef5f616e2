// The REST client over real sockets: node:http on an ephemeral port stands in for the apiserver.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from './logger.ts';
import { RestClient } from './rest-client.ts';

const servers: http.Server[] = [];

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('node transport', () => {
  it('carries a request and its JSON answer', async () => {
    let seen: { method?: string; url?: string; agent?: string; body?: string } = {};
    const host = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen = { method: req.method, url: req.url, agent: req.headers['user-agent'], body };
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns', resourceVersion: '9' } }));
      });
    });
    const client = new RestClient({ host, userAgent: 'k8ts-test' }, { logger: silentLogger });
    const created = await client.forKind({ group: '', version: 'v1', kind: 'ConfigMap' }).namespace('ns').create({ metadata: { name: 'cm' }, data: { a: 'b' } });
    expect(created.metadata.resourceVersion).toBe('9');
    expect(seen).toEqual({ method: 'POST', url: '/api/v1/namespaces/ns/configmaps', agent: 'k8ts-test', body: '{"metadata":{"name":"cm"},"data":{"a":"b"}}' });
  });

  it('streams a watch whose events arrive split across writes, and ends when the server closes', async () => {
    const host = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      const first = JSON.stringify({ type: 'ADDED', object: { kind: 'Pod', metadata: { name: 'café', resourceVersion: '2' } } }) + '\n';
      const second = JSON.stringify({ type: 'BOOKMARK', object: { kind: 'Pod', metadata: { resourceVersion: '3' } } }) + '\n';
      const bytes = Buffer.from(first + second);
      // Split inside the two-byte "é" and inside the second event.
      const cut = bytes.indexOf(Buffer.from('é')) + 1;
      res.write(bytes.subarray(0, cut));
      setTimeout(() => res.write(bytes.subarray(cut, bytes.length - 5)), 10);
      setTimeout(() => res.end(bytes.subarray(bytes.length - 5)), 20);
    });
    const client = new RestClient({ host }, { logger: silentLogger });
    const watch = await client.forResource({ group: '', version: 'v1', resource: 'pods' }).watch({ resourceVersion: '1' });
    const events: string[] = [];
    for await (const event of watch) {
      if (event.type !== 'ERROR') events.push(`${event.type} ${event.object.metadata.name ?? ''}@${event.object.metadata.resourceVersion}`);
    }
    expect(events).toEqual(['ADDED café@2', 'BOOKMARK @3']);
  });

  it('stops a watch from the client side', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((resolve) => (closed = resolve));
    const host = await serve((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a' } } }) + '\n');
      req.on('close', closed);
    });
    const client = new RestClient({ host }, { logger: silentLogger });
    const watch = await client.forResource({ group: '', version: 'v1', resource: 'pods' }).watch();
    const names: string[] = [];
    for await (const event of watch) {
      if (event.type === 'ADDED') names.push(event.object.metadata.name!);
      watch.stop();
    }
    expect(names).toEqual(['a']);
    await serverSawClose;
  });
});
