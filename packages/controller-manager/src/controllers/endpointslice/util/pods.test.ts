import { describe, expect, it } from 'vitest';
import { findPort, podEndpointsChanged, shouldPodBeInEndpoints, shouldSetHostname } from './pods.ts';
import { pod, service } from './test-fixtures.ts';

describe('findPort', () => {
  const p = pod('ns', 'a', { ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] });

  it('takes numeric target ports as they are, defaulting to the service port', () => {
    expect(findPort(p, { port: 80, targetPort: 9376 })).toBe(9376);
    expect(findPort(p, { port: 80 })).toBe(80);
  });

  it('looks named target ports up by name and protocol', () => {
    expect(findPort(p, { port: 80, targetPort: 'http' })).toBe(8080);
    expect(findPort(p, { port: 53, targetPort: 'dns', protocol: 'UDP' })).toBe(53);
    expect(findPort(p, { port: 53, targetPort: 'dns', protocol: 'TCP' })).toBeUndefined();
    expect(findPort(p, { port: 80, targetPort: 'missing' })).toBeUndefined();
  });

  it('finds named ports of sidecars (init containers that keep running), not of other init containers', () => {
    const withInit = (restartPolicy?: string) => ({
      ...p,
      spec: { ...p.spec, initContainers: [{ name: 'proxy', ...(restartPolicy ? { restartPolicy } : {}), ports: [{ name: 'proxy', containerPort: 15001 }] }] },
    });
    expect(findPort(withInit('Always'), { port: 80, targetPort: 'proxy' })).toBe(15001);
    expect(findPort(withInit(), { port: 80, targetPort: 'proxy' })).toBeUndefined();
  });
});

describe('shouldPodBeInEndpoints', () => {
  it('leaves out finished pods and pods without an IP, and terminating ones unless asked for', () => {
    expect(shouldPodBeInEndpoints(pod('ns', 'a'), false)).toBe(true);
    expect(shouldPodBeInEndpoints(pod('ns', 'a', { phase: 'Succeeded' }), true)).toBe(false);
    expect(shouldPodBeInEndpoints(pod('ns', 'a', { ip: '' }), true)).toBe(false);
    expect(shouldPodBeInEndpoints(pod('ns', 'a', { terminating: true }), false)).toBe(false);
    expect(shouldPodBeInEndpoints(pod('ns', 'a', { terminating: true }), true)).toBe(true);
  });
});

describe('shouldSetHostname', () => {
  it('names a pod in the service whose name is its subdomain, in its own namespace', () => {
    expect(shouldSetHostname(pod('ns', 'db-0', { hostname: 'db-0', subdomain: 'db' }), service('ns', 'db'))).toBe(true);
    expect(shouldSetHostname(pod('ns', 'db-0', { hostname: 'db-0', subdomain: 'db' }), service('other', 'db'))).toBe(false);
    expect(shouldSetHostname(pod('ns', 'db-0', { subdomain: 'db' }), service('ns', 'db'))).toBe(false);
  });
});

describe('podEndpointsChanged', () => {
  it('sees readiness, deletion and IP changes as endpoint changes, labels as membership changes, and nothing else', () => {
    const base = pod('ns', 'a');
    expect(podEndpointsChanged(base, pod('ns', 'a', { ready: false }))).toEqual({ podChanged: true, labelsChanged: false });
    expect(podEndpointsChanged(base, pod('ns', 'a', { terminating: true }))).toEqual({ podChanged: true, labelsChanged: false });
    expect(podEndpointsChanged(base, pod('ns', 'a', { ip: '10.244.9.9' }))).toEqual({ podChanged: true, labelsChanged: false });
    expect(podEndpointsChanged(base, pod('ns', 'a', { labels: { app: 'other' } }))).toEqual({ podChanged: false, labelsChanged: true });
    expect(podEndpointsChanged(base, { ...base, metadata: { ...base.metadata, annotations: { note: 'x' } } })).toEqual({ podChanged: false, labelsChanged: false });
  });
});
