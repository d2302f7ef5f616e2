// The harness itself: ports, targets, restart on the same data.
import { describe, expect, it } from 'vitest';
import { EtcdClient } from '../src/client/etcd-client.ts';
import { availableTargets, startMember } from './harness.ts';
import { freePort } from './support/free-port.ts';

describe('freePort', () => {
  it('returns a port on 127.0.0.1 that can be bound', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const net = await import('node:net');
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});

describe.each(availableTargets())('startMember(%s)', (target) => {
  it('uses the injected ports, and keeps data and ports across restart and kill -9', async () => {
    const ports = [await freePort(), await freePort()];
    const [clientPort, peerPort] = ports;
    const member = await startMember(target, { pickPort: async () => ports.shift()! });
    const client = new EtcdClient(member.endpoint);
    try {
      expect(member).toMatchObject({ clientPort, peerPort, endpoint: `http://127.0.0.1:${clientPort}` });
      const firstPid = member.pid;
      await client.put({ key: 'survives', value: 'restart' });
      await member.restart();
      expect(member.pid).not.toBe(firstPid);
      expect((await client.range({ key: 'survives' })).count).toBe('1');
      await member.kill9();
      await member.start();
      expect((await client.range({ key: 'survives' })).count).toBe('1');
    } finally {
      client.close();
      await member.cleanup();
    }
  });

  it('fails to start with the member’s stderr when the flags are bad', async () => {
    await expect(startMember(target, { extraFlags: ['--no-such-flag'] })).rejects.toThrow(/exited .* before serving/);
  });
});
