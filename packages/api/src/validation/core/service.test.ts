import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../object.ts';
import { create, lines, service, stored, update } from '../testing/fixtures.ts';

const spec = (obj: JsonObject) => obj.spec as JsonObject;

describe('Service create', () => {
  it('accepts what kubectl expose sends', () => {
    expect(create(service())).toEqual([]);
  });

  it('wants a DNS-1035 name', () => {
    expect(lines(create(service('1web')))[0]).toBe(
      "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
  });

  it.each<[string, JsonObject, string[]]>([
    ['no ports', { ports: [] }, ['spec.ports: Required value']],
    ['a port out of range', { ports: [{ protocol: 'TCP', port: 0, targetPort: 80 }] }, ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']],
    ['an unknown protocol', { ports: [{ protocol: 'ICMP', port: 80, targetPort: 80 }] }, ['spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"']],
    [
      'two unnamed ports',
      { ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }, { protocol: 'TCP', port: 443, targetPort: 443 }] },
      ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value'],
    ],
    [
      'the same port twice',
      { ports: [{ name: 'a', protocol: 'TCP', port: 80, targetPort: 80 }, { name: 'b', protocol: 'TCP', port: 80, targetPort: 8080 }] },
      [
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
      ],
    ],
    ['an unknown type', { type: 'Internal' }, ['spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    [
      'a nodePort on a ClusterIP service',
      { ports: [{ protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30080 }] },
      ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ],
    ['a bad cluster IP', { clusterIP: '10.0.0.300', clusterIPs: ['10.0.0.300'] }, ['spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    [
      'a target port name that is too long',
      { ports: [{ protocol: 'TCP', port: 80, targetPort: 'http-web-server-port' }] },
      ['spec.ports[0].targetPort: Invalid value: "http-web-server-port": must be no more than 15 characters'],
    ],
  ])('rejects %s', (_, change, expected) => {
    const s = service();
    Object.assign(spec(s), change);
    expect(lines(create(s))).toEqual(expected);
  });

  it('lets a headless service go without ports', () => {
    const s = service('db', { clusterIP: 'None', clusterIPs: ['None'], ports: [] });
    expect(create(s)).toEqual([]);
  });

  it('wants an externalName for ExternalName services and no ports', () => {
    const s = service('ext', { type: 'ExternalName', ports: [], externalName: '' });
    delete spec(s).internalTrafficPolicy;
    expect(lines(create(s))).toEqual(['spec.externalName: Required value']);
  });

  it('wants externalTrafficPolicy on NodePort services', () => {
    const s = service('web', { type: 'NodePort' });
    expect(lines(create(s))).toEqual(['spec.externalTrafficPolicy: Required value']);
    spec(s).externalTrafficPolicy = 'Cluster';
    expect(create(s)).toEqual([]);
  });
});

describe('Service update', () => {
  it('keeps the cluster IP', () => {
    const old = stored(service('web', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' }));
    const changed = structuredClone(old);
    spec(changed).clusterIP = '10.96.0.11';
    expect(lines(update(changed, old))).toEqual(['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set']);
  });

  it('allows changing the ports and selector', () => {
    const old = stored(service('web', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] }));
    const changed = structuredClone(old);
    spec(changed).ports = [{ protocol: 'TCP', port: 8080, targetPort: 80 }];
    expect(update(changed, old)).toEqual([]);
  });
});
