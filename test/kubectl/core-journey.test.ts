// The core journey of the tutorials, driven by every installed kubectl (1.27–1.33) against a
// real apiserver process on each store backend (k8ts store and etcd). kubectl 1.32+ sends
// protobuf for `create <kind>`, 1.27–1.29 use v2beta1 discovery: both paths are exercised.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ControlPlane } from '../support/control-plane.ts';
import { Kubectl, KUBECTL_VERSIONS, tableRows } from '../support/kubectl.ts';

const CONFIGMAP = (ns: string, value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${ns}
data:
  greeting: ${value}
`;

describe.each(backends())('core journey (store: %s)', (backend) => {
  let plane: ControlPlane;
  beforeAll(async () => {
    plane = await ControlPlane.start(backend);
  });
  afterAll(async () => {
    await plane?.stop();
  });

  it.each(KUBECTL_VERSIONS)('kubectl %s', async (version) => {
    const kubectl = new Kubectl(plane.url, version);
    const ns = `journey-${version.replace('.', '-')}`;
    try {
      expect(await kubectl.ok(['version'])).toMatch(/Server Version: (v1\.32|version\.Info\{Major:"1", Minor:"32")/);

      const resources = await kubectl.ok(['api-resources']);
      expect(resources).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      expect(resources).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);

      expect(await kubectl.ok(['create', 'namespace', ns])).toBe(`namespace/${ns} created\n`);
      const nsRow = tableRows(await kubectl.ok(['get', 'namespace', ns]));
      expect(nsRow[0]).toEqual(['NAME', 'STATUS', 'AGE']);
      expect(nsRow[1]!.slice(0, 2)).toEqual([ns, 'Active']);

      expect(await kubectl.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '-n', ns])).toBe('deployment.apps/web created\n');
      const deployRows = tableRows(await kubectl.ok(['get', 'deployments', '-n', ns]));
      expect(deployRows[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
      expect(deployRows[1]!.slice(0, 4)).toEqual(['web', '0/2', '0', '0']);
      const deployment = JSON.parse(await kubectl.ok(['get', 'deployment', 'web', '-n', ns, '-o', 'json']));
      expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'web' } });
      expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: '25%' });
      expect(deployment.spec.template.spec.containers[0].image).toBe('nginx:1.27');
      expect(deployment.metadata.generation).toBe(1);

      expect(await kubectl.ok(['scale', 'deployment', 'web', '--replicas=3', '-n', ns])).toBe('deployment.apps/web scaled\n');
      expect(await kubectl.ok(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.replicas} {.metadata.generation}'])).toBe('3 2');

      expect(await kubectl.ok(['apply', '-f', '-'], { stdin: CONFIGMAP(ns, 'hello') })).toBe('configmap/settings created\n');
      expect(await kubectl.ok(['apply', '-f', '-'], { stdin: CONFIGMAP(ns, 'hello') })).toBe('configmap/settings unchanged\n');
      expect(await kubectl.ok(['apply', '-f', '-'], { stdin: CONFIGMAP(ns, 'bonjour') })).toBe('configmap/settings configured\n');
      expect(await kubectl.ok(['get', 'configmap', 'settings', '-n', ns, '-o', 'jsonpath={.data.greeting}'])).toBe('bonjour');

      expect(await kubectl.ok(['label', 'configmap', 'settings', 'tier=backend', '-n', ns])).toBe('configmap/settings labeled\n');
      expect(await kubectl.ok(['get', 'configmaps', '-l', 'tier=backend', '-n', ns, '-o', 'name'])).toBe('configmap/settings\n');

      expect(await kubectl.ok(['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '-n', ns])).toBe('service/web created\n');
      const svcRows = tableRows(await kubectl.ok(['get', 'service', 'web', '-n', ns]));
      expect(svcRows[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
      expect(svcRows[1]![1]).toBe('ClusterIP');
      expect(svcRows[1]![2]).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
      expect(svcRows[1]![4]).toBe('80/TCP');

      const missing = await kubectl.run(['get', 'pod', 'nope', '-n', ns]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('Error from server (NotFound): pods "nope" not found');

      expect(await kubectl.ok(['delete', 'configmap', 'settings', '-n', ns])).toBe('configmap "settings" deleted\n');
      expect((await kubectl.run(['get', 'configmaps', '-n', ns])).stderr).toContain(`No resources found in ${ns} namespace.`);
    } finally {
      kubectl.cleanup();
    }
  });
});
