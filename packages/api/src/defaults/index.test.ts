import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object.ts';
import { applyDefaults } from './index.ts';
import { defaulted } from './test-support.ts';

describe('applyDefaults', () => {
  it('leaves custom resources untouched (their defaults come from the CRD schema)', () => {
    const crontab: KubeObject = {
      apiVersion: 'stable.example.com/v1',
      kind: 'CronTab',
      metadata: { name: 'my-cron' },
      spec: { cronSpec: '* * * * */5', image: 'my-cron-image' },
    };
    expect(defaulted(crontab)).toEqual(crontab);
  });

  it('adds only Go zero values to kinds without defaults', () => {
    const lease = defaulted({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'kube-scheduler', namespace: 'kube-system' },
      spec: { holderIdentity: 'master_1', leaseDurationSeconds: 15 },
    });
    expect(lease.spec).toEqual({ holderIdentity: 'master_1', leaseDurationSeconds: 15 });
    const pdb = defaulted({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
    });
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: { app: 'web' } } });
    expect(pdb.status).toEqual({ currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 });
  });

  it('defaults the object in place', () => {
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } };
    applyDefaults({ group: '', version: 'v1', kind: 'Secret' }, secret);
    expect(secret.type).toBe('Opaque');
  });

  it('leaves a value of the wrong type for validation to report instead of replacing it', () => {
    const out = defaulted({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: 'replicas: 3' });
    expect(out.spec).toBe('replicas: 3');
    const service = defaulted({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: 'http', type: 7 } });
    expect(service.spec).toEqual({ ports: 'http', type: 7, sessionAffinity: 'None' });
  });
});
