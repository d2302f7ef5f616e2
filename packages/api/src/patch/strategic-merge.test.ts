import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../object.ts';
import { schema } from '../schema/registry.ts';
import { PatchError } from './errors.ts';
import { strategicMergePatch } from './strategic-merge.ts';

const podKind = schema.kindSchema({ group: '', version: 'v1', kind: 'Pod' })!;
const deploymentKind = schema.kindSchema({ group: 'apps', version: 'v1', kind: 'Deployment' })!;

const patchPod = (original: JsonValue, patch: JsonValue) => strategicMergePatch(original, patch, podKind);

function failure(run: () => unknown): PatchError {
  try {
    run();
  } catch (error) {
    if (error instanceof PatchError) return error;
    throw error;
  }
  throw new Error('expected a PatchError');
}

/** A pod whose spec has the given members (and nothing else). */
const pod = (spec: Record<string, JsonValue>, metadata: Record<string, JsonValue> = { name: 'p' }) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata,
  spec,
});

describe('strategic merge patch: maps and values', () => {
  it('merges maps recursively and deletes keys set to null', () => {
    const original = pod({ nodeSelector: { disk: 'ssd', zone: 'a' }, hostname: 'h' }, { name: 'p', labels: { app: 'web', tier: 'fe' } });
    const patched = patchPod(original, { metadata: { labels: { tier: null, track: 'canary' } }, spec: { nodeSelector: { zone: 'b' }, hostname: null } });
    expect(patched).toEqual(pod({ nodeSelector: { disk: 'ssd', zone: 'b' } }, { name: 'p', labels: { app: 'web', track: 'canary' } }));
  });

  it('takes a new value as written, minus its nulls and $patch-marked maps', () => {
    const patched = patchPod(pod({}), { spec: { securityContext: { runAsUser: 1000, runAsGroup: null, seLinuxOptions: { $patch: 'delete' } } } });
    expect(patched).toEqual(pod({ securityContext: { runAsUser: 1000 } }));
  });

  it('replaces values of custom JSON types (quantity, int-or-string) whole', () => {
    const container = { name: 'c', image: 'i', resources: { limits: { cpu: '500m', memory: '1Gi' } } };
    const patched = patchPod(pod({ containers: [container] }), { spec: { containers: [{ name: 'c', resources: { limits: { cpu: 1 } } }] } });
    expect(patched).toEqual(pod({ containers: [{ ...container, resources: { limits: { cpu: 1, memory: '1Gi' } } }] }));
  });

  it('replaces raw JSON (RawExtension) instead of merging into it', () => {
    const revisionKind = schema.kindSchema({ group: 'apps', version: 'v1', kind: 'ControllerRevision' })!;
    const revision = { metadata: { name: 'r' }, revision: 1, data: { spec: { template: { a: 1, b: 2 } } } };
    expect(strategicMergePatch(revision, { data: { spec: { other: true } } }, revisionKind)).toEqual({ ...revision, data: { spec: { other: true } } });
  });

  it('honours patchStrategy "replace" on a struct field (PodDisruptionBudget selector)', () => {
    const pdbKind = schema.kindSchema({ group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' })!;
    const pdb = { metadata: { name: 'b' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } };
    const patched = strategicMergePatch(pdb, { spec: { selector: { matchLabels: { app: 'api' } } } }, pdbKind);
    expect(patched).toEqual({ metadata: { name: 'b' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'api' } } } });
    const merged = strategicMergePatch(pdb, { spec: { minAvailable: 2 } }, pdbKind);
    expect(merged).toEqual({ metadata: { name: 'b' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } });
  });

  it('"$patch": "replace" replaces a map; "$patch": "delete" empties it', () => {
    const original = pod({ nodeSelector: { disk: 'ssd', zone: 'a' } });
    expect(patchPod(original, { spec: { nodeSelector: { $patch: 'replace', gpu: 'yes' } } })).toEqual(pod({ nodeSelector: { gpu: 'yes' } }));
    expect(patchPod(original, { spec: { nodeSelector: { $patch: 'delete' } } })).toEqual(pod({ nodeSelector: {} }));
    expect(patchPod(original, { $patch: 'replace', kind: 'Pod' })).toEqual({ kind: 'Pod' });
  });

  it('refuses "$patch": "merge" (or any other value) in a map, as Kubernetes does', () => {
    const error = failure(() => patchPod(pod({ nodeSelector: { a: 'b' } }), { spec: { nodeSelector: { $patch: 'merge', c: 'd' } } }));
    expect(error.code).toBe('Unknown');
    expect(error.message).toBe('unknown patch type: merge in map: map[$patch:merge c:d]');
  });

  it('$retainKeys drops the keys it does not list and refuses patches setting unlisted keys', () => {
    const deployment = { metadata: { name: 'd' }, spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } };
    const patched = strategicMergePatch(deployment, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, deploymentKind);
    expect(patched).toEqual({ metadata: { name: 'd' }, spec: { strategy: { type: 'Recreate' } } });
    const error = failure(() => strategicMergePatch(deployment, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 2 } } } }, deploymentKind));
    expect(error.code).toBe('BadRequest');
    expect(error.message).toBe('invalid patch format of retainKeys');
  });

  it('refuses strategic merge for kinds without Go types (custom resources)', () => {
    const error = failure(() => strategicMergePatch({ spec: {} }, { spec: { a: 1 } }, undefined));
    expect(error.code).toBe('BadRequest');
    expect(error.message).toBe('strategic merge patch format is not supported');
  });

  it('refuses merging into a field the type does not have', () => {
    const error = failure(() => patchPod(pod({ bogus: { a: 1 } }), { spec: { bogus: { b: 2 } } }));
    expect(error.message).toBe('unable to find api field in struct PodSpec for the json field "bogus"');
  });

  it('refuses a patch body that is not an object, and treats null as empty', () => {
    const error = failure(() => patchPod(pod({}), ['x']));
    expect(error.code).toBe('BadRequest');
    expect(error.message).toBe('json: cannot unmarshal array into Go value of type map[string]interface {}');
    expect(patchPod(pod({ hostname: 'h' }), null)).toEqual(pod({ hostname: 'h' }));
  });
});

describe('strategic merge patch: lists', () => {
  const containers: JsonObject[] = [
    { name: 'a', image: 'a:1', ports: [{ containerPort: 80, protocol: 'TCP' }] },
    { name: 'b', image: 'b:1', args: ['x', 'y'] },
  ];

  it('merges "merge" lists entry by entry on the merge key and appends unmatched entries', () => {
    const patched = patchPod(pod({ containers }), { spec: { containers: [{ name: 'b', image: 'b:2' }, { name: 'c', image: 'c:1' }] } });
    expect(patched).toEqual(pod({ containers: [containers[0], { ...containers[1], image: 'b:2' }, { name: 'c', image: 'c:1' }] }));
  });

  it('puts patched entries in patch order, keeping server-only entries by their live position', () => {
    const live = ['1', '2', '3', '4'].map((name) => ({ name, image: `i${name}` }));
    const patched = patchPod(pod({ containers: live }), { spec: { containers: [{ name: '3', image: 'x' }, { name: '1', image: 'y' }] } }) as ReturnType<typeof pod>;
    expect((patched.spec.containers as { name: string }[]).map((c) => c.name)).toEqual(['2', '3', '1', '4']);
  });

  it('replaces lists without a strategy (args, tolerations) whole', () => {
    const tolerations = [{ key: 'k', operator: 'Exists' }];
    const patched = patchPod(pod({ containers, tolerations }), {
      spec: { tolerations: [{ key: 'other', operator: 'Exists' }], containers: [{ name: 'b', args: ['z'] }] },
    });
    expect(patched).toEqual(pod({ containers: [containers[0], { ...containers[1], args: ['z'] }], tolerations: [{ key: 'other', operator: 'Exists' }] }));
  });

  it('"$patch": "delete" entries remove entries by merge key; "$patch": "replace" replaces the list', () => {
    expect(patchPod(pod({ containers }), { spec: { containers: [{ name: 'a', $patch: 'delete' }] } })).toEqual(pod({ containers: [containers[1]] }));
    expect(patchPod(pod({ containers }), { spec: { containers: [{ $patch: 'replace' }, { name: 'n', image: 'n' }] } })).toEqual(
      pod({ containers: [{ name: 'n', image: 'n' }] }),
    );
    expect(patchPod(pod({ containers }), { spec: { containers: [{ $patch: 'replace' }] } })).toEqual(pod({ containers: [] }));
  });

  it('refuses "$patch": "merge" in a list', () => {
    const error = failure(() => patchPod(pod({ containers }), { spec: { containers: [{ $patch: 'merge' }] } }));
    expect(error.message).toBe('merging lists cannot yet be specified in the patch');
  });

  it('refuses entries without the merge key, printing the entry like Go', () => {
    const error = failure(() => patchPod(pod({ containers }), { spec: { containers: [{ image: 'nginx' }] } }));
    expect(error.code).toBe('Unknown');
    expect(error.message).toBe('map: map[image:nginx] does not contain declared merge key: name');
    const deletion = failure(() => patchPod(pod({ containers }), { spec: { containers: [{ $patch: 'delete' }] } }));
    expect(deletion.message).toBe('map: map[$patch:delete] does not contain declared merge key: name');
  });

  it('set-unions primitive merge lists (finalizers): new values first, live order kept', () => {
    const withFinalizers = (finalizers: string[]) => pod({}, { name: 'p', finalizers });
    expect(patchPod(withFinalizers(['a', 'b']), { metadata: { finalizers: ['b', 'c'] } })).toEqual(withFinalizers(['a', 'b', 'c']));
    expect(patchPod(withFinalizers(['a']), { metadata: { finalizers: ['z'] } })).toEqual(withFinalizers(['z', 'a']));
    expect(patchPod(withFinalizers(['a', 'b', 'c']), { metadata: { finalizers: ['c', 'a'] } })).toEqual(withFinalizers(['b', 'c', 'a']));
  });

  it('$deleteFromPrimitiveList removes values from a primitive list', () => {
    const withFinalizers = (finalizers: string[]) => pod({}, { name: 'p', finalizers });
    expect(patchPod(withFinalizers(['a', 'b', 'c']), { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'x'] } })).toEqual(withFinalizers(['a', 'c']));
    expect(patchPod(pod({}), { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } })).toEqual(pod({}));
    const bad = failure(() => patchPod(withFinalizers(['a']), { metadata: { '$deleteFromPrimitiveListfinalizers': ['a'] } }));
    expect([bad.code, bad.message]).toEqual(['BadRequest', 'invalid patch format of primitive list']);
  });

  it('$setElementOrder fixes the final order, server-only entries placed by their live order', () => {
    const live = ['1', '2', '9', '3', '4'].map((name) => ({ name, image: `i${name}` }));
    const order = ['2', '1', '4', '3'].map((name) => ({ name }));
    const patched = patchPod(pod({ containers: live }), { spec: { '$setElementOrder/containers': order } }) as ReturnType<typeof pod>;
    expect((patched.spec.containers as { name: string }[]).map((c) => c.name)).toEqual(['2', '1', '9', '4', '3']);
    expect(Object.keys(patched.spec)).toEqual(['containers']);
  });

  it('$setElementOrder orders primitive lists too, and may name values the list lacks', () => {
    const withFinalizers = (finalizers: string[]) => pod({}, { name: 'p', finalizers });
    const patched = patchPod(withFinalizers(['a', 'b', 'd']), { metadata: { '$setElementOrder/finalizers': ['a', 'b', 'c'], finalizers: ['c'] } });
    expect(patched).toEqual(withFinalizers(['a', 'b', 'c', 'd']));
    expect(patchPod(withFinalizers(['a', 'c']), { metadata: { '$setElementOrder/finalizers': ['c', 'b', 'a'] } })).toEqual(withFinalizers(['c', 'a']));
  });

  it('refuses a patch list ordered differently from its $setElementOrder', () => {
    const live = ['1', '3', '2'].map((name) => ({ name }));
    const error = failure(() =>
      patchPod(pod({ containers: live }), {
        spec: { '$setElementOrder/containers': [{ name: '1' }, { name: '2' }, { name: '3' }], containers: [{ name: '3', image: 'x' }, { name: '1', image: 'y' }] },
      }),
    );
    expect(error.message).toBe(
      "The order in patch list:\n[map[image:x name:3] map[image:y name:1]]\n doesn't match $setElementOrder list:\n[map[name:1] map[name:2] map[name:3]]\n",
    );
  });

  it('adds a list named by $setElementOrder that the object lacked', () => {
    const patched = patchPod(pod({}), {
      spec: { '$setElementOrder/volumes': [{ name: 'v' }], volumes: [{ name: 'v', emptyDir: {} }, { name: 'gone', $patch: 'delete' }] },
    });
    expect(patched).toEqual(pod({ volumes: [{ name: 'v', emptyDir: {} }] }));
  });

  it('refuses lists of lists with 422 and mixed element types', () => {
    const nested = failure(() => patchPod(pod({}, { name: 'p', finalizers: [['a']] }), { metadata: { finalizers: [['b']] } }));
    expect([nested.code, nested.detail]).toEqual(['Invalid', 'lists of lists are not supported']);
    const mixed = failure(() => patchPod(pod({}, { name: 'p', finalizers: ['a'] }), { metadata: { finalizers: [1] } }));
    expect(mixed.message).toBe('list element types are not identical: [[a] [1]]');
  });

  it('leaves its inputs untouched', () => {
    const original = pod({ containers: structuredClone(containers) }, { name: 'p', finalizers: ['a'] });
    const patch: JsonValue = {
      metadata: { finalizers: ['b'] },
      spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'a', $patch: 'delete' }, { name: 'b', image: null }] },
    };
    const before = structuredClone([original, patch]);
    patchPod(original, patch);
    expect([original, patch]).toEqual(before);
  });
});
