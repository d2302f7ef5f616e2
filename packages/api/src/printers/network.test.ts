import { describe, expect, it } from 'vitest';
import { DAY, ago, describeColumns, printRow } from './testing.ts';

const meta = { name: 'web', namespace: 'default', creationTimestamp: ago(DAY) };

describe('service printer', () => {
  const service = (spec: object, status: object = {}) => printRow('', 'services', { metadata: meta, spec, status });

  it('has the columns of kubectl get services', () => {
    expect(describeColumns('', 'services')).toEqual(['Name [name]', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector (wide)']);
  });

  it('prints a ClusterIP service', () => {
    const row = service({
      type: 'ClusterIP',
      clusterIP: '10.96.12.7',
      clusterIPs: ['10.96.12.7'],
      ports: [
        { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ],
      selector: { app: 'web' },
    });
    expect(row).toEqual({
      Name: 'web',
      Type: 'ClusterIP',
      'Cluster-IP': '10.96.12.7',
      'External-IP': '<none>',
      'Port(s)': '80/TCP,53/UDP',
      Age: '24h',
      Selector: 'app=web',
    });
  });

  it('prints node ports and external IPs', () => {
    const row = service({
      type: 'NodePort',
      clusterIPs: ['10.96.0.20', 'fd00::20'],
      externalIPs: ['192.0.2.10', '192.0.2.11'],
      ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }],
    });
    expect(row).toMatchObject({ 'Cluster-IP': '10.96.0.20', 'External-IP': '192.0.2.10,192.0.2.11', 'Port(s)': '80:30080/TCP', Selector: '<none>' });
  });

  it('prints <pending> until a load balancer is provisioned, then its addresses', () => {
    const spec = { type: 'LoadBalancer', clusterIPs: ['10.96.0.30'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] };
    expect(service(spec)['External-IP']).toBe('<pending>');
    const provisioned = service(spec, {
      loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }, { ip: '203.0.113.2' }, { ip: '203.0.113.9' }] },
    });
    // Unique and sorted, never clipped: the server prints wide.
    expect(provisioned['External-IP']).toBe('203.0.113.2,203.0.113.9,lb.example.com');
    const withExternal = service({ ...spec, externalIPs: ['192.0.2.1'] }, { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } });
    expect(withExternal['External-IP']).toBe('203.0.113.9,192.0.2.1');
    expect(service({ ...spec, externalIPs: ['192.0.2.1'] })['External-IP']).toBe('192.0.2.1');
  });

  it('prints an ExternalName service and a headless service without ports', () => {
    expect(service({ type: 'ExternalName', externalName: 'db.example.com' })).toMatchObject({
      'Cluster-IP': '<none>',
      'External-IP': 'db.example.com',
      'Port(s)': '<none>',
    });
    expect(service({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] })['Cluster-IP']).toBe('None');
  });
});

describe('endpoints printer', () => {
  const endpoints = (subsets?: object[]) => printRow('', 'endpoints', { metadata: meta, subsets })['Endpoints'];

  it('lists ip:port pairs, at most three', () => {
    expect(endpoints([{ addresses: [{ ip: '10.244.1.5' }, { ip: '10.244.2.7' }], ports: [{ port: 8080 }] }])).toBe('10.244.1.5:8080,10.244.2.7:8080');
    expect(
      endpoints([
        { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] },
        { addresses: [{ ip: '10.0.0.3' }], ports: [{ port: 80 }] },
      ]),
    ).toBe('10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...');
  });

  it('brackets IPv6 addresses, lists bare IPs without ports, and says <none> with no subsets', () => {
    expect(endpoints([{ addresses: [{ ip: 'fd00::5' }], ports: [{ port: 80 }] }])).toBe('[fd00::5]:80');
    expect(endpoints([{ addresses: [{ ip: '10.0.0.1' }] }])).toBe('10.0.0.1');
    expect(endpoints(undefined)).toBe('<none>');
    expect(endpoints([{ notReadyAddresses: [{ ip: '10.0.0.9' }], ports: [{ port: 80 }] }])).toBe('');
  });
});

describe('endpoint slice printer', () => {
  it('prints address type, ports and addresses', () => {
    expect(describeColumns('discovery.k8s.io', 'endpointslices')).toEqual(['Name [name]', 'AddressType', 'Ports', 'Endpoints', 'Age']);
    const row = printRow('discovery.k8s.io', 'endpointslices', {
      metadata: { ...meta, name: 'web-abc12' },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics' }, {}],
      endpoints: [{ addresses: ['10.244.1.5'] }, { addresses: ['10.244.2.7', '10.244.2.8'] }, { addresses: ['10.244.3.1'] }],
    });
    expect(row).toEqual({ Name: 'web-abc12', AddressType: 'IPv4', Ports: '8080,metrics,*', Endpoints: '10.244.1.5,10.244.2.7,10.244.2.8 + 1 more...', Age: '24h' });
  });

  it('says <unset> for empty lists', () => {
    expect(printRow('discovery.k8s.io', 'endpointslices', { metadata: meta, addressType: 'IPv6', ports: null, endpoints: [] })).toMatchObject({
      Ports: '<unset>',
      Endpoints: '<unset>',
    });
  });
});

describe('ingress printer', () => {
  const ingress = (spec: object, status: object = {}) => printRow('networking.k8s.io', 'ingresses', { metadata: meta, spec, status });

  it('prints class, hosts, address and ports', () => {
    expect(describeColumns('networking.k8s.io', 'ingresses')).toEqual(['Name [name]', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
    const row = ingress(
      { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com' }, { host: 'api.example.com' }], tls: [{ hosts: ['shop.example.com'] }] },
      { loadBalancer: { ingress: [{ ip: '192.168.49.2' }] } },
    );
    expect(row).toEqual({ Name: 'web', Class: 'nginx', Hosts: 'shop.example.com,api.example.com', Address: '192.168.49.2', Ports: '80, 443', Age: '24h' });
  });

  it('prints * for rules without hosts, <none> without a class, and counts the rules past three hosts', () => {
    expect(ingress({ rules: [{ http: {} }] })).toMatchObject({ Class: '<none>', Hosts: '*', Address: '', Ports: '80' });
    const many = ingress({ rules: [{ host: 'a' }, {}, { host: 'b' }, { host: 'c' }, { host: 'd' }, {}] });
    expect(many.Hosts).toBe('a,b,c + 3 more...');
    expect(ingress({ rules: [{ host: 'a' }, { host: 'b' }, { host: 'c' }] }).Hosts).toBe('a,b,c');
  });
});

describe('ingress class printer', () => {
  it('prints the controller and parameters reference', () => {
    const row = printRow('networking.k8s.io', 'ingressclasses', {
      metadata: { name: 'nginx', creationTimestamp: ago(DAY) },
      spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } },
    });
    expect(row).toEqual({ Name: 'nginx', Controller: 'k8s.io/ingress-nginx', Parameters: 'IngressParameters.k8s.example.com/external-lb', Age: '24h' });
    const plain = printRow('networking.k8s.io', 'ingressclasses', { metadata: { name: 'x' }, spec: { controller: 'c' } });
    expect(plain.Parameters).toBe('<none>');
  });
});

describe('network policy printer', () => {
  it('prints the pod selector, <none> when it selects all pods', () => {
    const policy = (podSelector: object) => printRow('networking.k8s.io', 'networkpolicies', { metadata: meta, spec: { podSelector } });
    expect(policy({ matchLabels: { role: 'db' } })).toEqual({ Name: 'web', 'Pod-Selector': 'role=db', Age: '24h' });
    expect(policy({})['Pod-Selector']).toBe('<none>');
  });
});
