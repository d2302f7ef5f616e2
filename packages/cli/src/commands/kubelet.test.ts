import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeletServerSettings } from './kubelet.ts';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('k8ts kubelet API settings', () => {
  it("trusts the kubeconfig's CA by default, --client-ca-file when given", () => {
    expect(kubeletServerSettings({ 'client-ca-file': '', port: 10250 }, { host: 'https://x', tls: { caData: CA } })).toEqual({ settings: { port: 10250, clientCaPem: CA } });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'k8ts-kubelet-')), 'ca.crt');
    writeFileSync(file, 'OTHER');
    expect(kubeletServerSettings({ 'client-ca-file': file, port: 0 }, { host: 'https://x', tls: { caData: CA } })).toEqual({ settings: { port: 0, clientCaPem: 'OTHER' } });
  });

  it('serves nothing without any CA, and refuses a bad port or an unreadable CA file', () => {
    expect(kubeletServerSettings({ 'client-ca-file': '', port: 10250 }, { host: 'http://x' })).toHaveProperty('skipped');
    expect(kubeletServerSettings({ 'client-ca-file': '', port: 70000 }, { host: 'http://x' })).toEqual({ error: 'invalid --port 70000: want 0-65535' });
    expect(kubeletServerSettings({ 'client-ca-file': '/nonexistent/ca.crt', port: 1 }, { host: 'http://x' })).toMatchObject({ error: expect.stringContaining('cannot read the client CA /nonexistent/ca.crt') });
  });
});
