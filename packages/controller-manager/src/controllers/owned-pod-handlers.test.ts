import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { Indexer, Lister } from '@k8ts/client';
import type { Pod } from '../controller/workload-types.ts';
import { DependentOwners } from './dependent-owners.ts';
import { OwnedPodHandlers, type GracefulDeletionUpdate } from './owned-pod-handlers.ts';

const OWNER: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'prod', uid: 'uid-web' },
  spec: { selector: { matchLabels: { app: 'web' } }, minReadySeconds: 5 },
};

function pod(options: { rv?: string; owned?: boolean; ready?: boolean; deleting?: boolean; labels?: Record<string, string> } = {}): Pod {
  const { rv = '1', owned = true, ready = false, deleting = false, labels = { app: 'web' } } = options;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-1',
      namespace: 'prod',
      resourceVersion: rv,
      labels,
      ...(owned ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'uid-web', controller: true }] } : {}),
      ...(deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
    },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function setup(gracefulDeletion: GracefulDeletionUpdate, withExpectations = true) {
  const indexer = new Indexer<KubeObject>();
  indexer.add(OWNER);
  const seen: string[] = [];
  const queue = { add: (key: string) => seen.push(`add ${key}`), addAfter: (key: string, ms: number) => seen.push(`addAfter ${key} ${ms}`) };
  const expectations = {
    creationObserved: (key: string) => seen.push(`created ${key}`),
    deletionObserved: (key: string, podKey: string) => seen.push(`deleted ${key} ${podKey}`),
  };
  const owners = new DependentOwners(new Lister(indexer), 'ReplicaSet');
  const handlers = new OwnedPodHandlers({ owners, queue, gracefulDeletion, ...(withExpectations ? { expectations } : {}) });
  return { handlers, seen };
}

describe('OwnedPodHandlers', () => {
  it('observes an owned pod’s creation and deletion against its owner’s expectations', () => {
    const { handlers, seen } = setup('deletion');
    handlers.addPod(pod());
    handlers.deletePod(pod());
    expect(seen).toEqual(['created prod/web', 'add prod/web', 'deleted prod/web prod/web-1', 'add prod/web']);
  });

  it('queues the owners that might adopt an orphan without observing a creation', () => {
    const { handlers, seen } = setup('deletion');
    handlers.addPod(pod({ owned: false }));
    expect(seen).toEqual(['add prod/web']);
  });

  it('ignores resyncs and looks again minReadySeconds (plus a second) after a pod turns ready', () => {
    const { handlers, seen } = setup('deletion');
    handlers.updatePod(pod(), pod());
    expect(seen).toEqual([]);
    handlers.updatePod(pod(), pod({ rv: '2', ready: true }));
    expect(seen).toEqual(['add prod/web', 'addAfter prod/web 6000']);
  });

  it('counts the start of a graceful deletion as the deletion, per the controller’s choice', () => {
    const daemon = setup('deletion');
    daemon.handlers.updatePod(pod({ labels: { app: 'web' } }), pod({ rv: '2', deleting: true, labels: { app: 'web', x: 'y' } }));
    expect(daemon.seen).toEqual(['deleted prod/web prod/web-1', 'add prod/web']);

    const replica = setup('deletion-of-both-states');
    replica.handlers.updatePod(pod({ labels: { app: 'web' } }), pod({ rv: '2', deleting: true, labels: { app: 'web', x: 'y' } }));
    expect(replica.seen).toEqual(['deleted prod/web prod/web-1', 'add prod/web', 'deleted prod/web prod/web-1', 'add prod/web']);

    const stateful = setup('update', false);
    stateful.handlers.updatePod(pod(), pod({ rv: '2', deleting: true }));
    expect(stateful.seen).toEqual(['add prod/web']);
  });
});
