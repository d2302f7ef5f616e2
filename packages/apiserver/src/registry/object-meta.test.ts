import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { changesNothing } from './object-meta.ts';

const applyEntry = { manager: 'kubectl', operation: 'Apply' as const, apiVersion: 'v1', fieldsType: 'FieldsV1' as const, fieldsV1: { 'f:data': { 'f:a': {} } } };
const updateEntry = { manager: 'kubectl-client-side-apply', operation: 'Update' as const, apiVersion: 'v1', fieldsType: 'FieldsV1' as const, fieldsV1: { 'f:data': {} } };

function configMap(meta: Partial<KubeObject['metadata']>, data: Record<string, string> = { a: '1' }): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', resourceVersion: '7', managedFields: [applyEntry, updateEntry], ...meta }, data };
}

describe('changesNothing', () => {
  it('ignores the resourceVersion and left-out managedFields', () => {
    const old = configMap({});
    expect(changesNothing(configMap({ resourceVersion: '3', managedFields: undefined }), old)).toBe(true);
    expect(changesNothing(configMap({}), old)).toBe(true);
  });

  it('sees a change of the data or of the labels', () => {
    const old = configMap({});
    expect(changesNothing(configMap({}, { a: '2' }), old)).toBe(false);
    expect(changesNothing(configMap({ labels: { x: 'y' } }), old)).toBe(false);
  });

  it('sees managedFields rewritten by the request, as kubectl does when it migrates to server-side apply', () => {
    expect(changesNothing(configMap({ managedFields: [applyEntry] }), configMap({}))).toBe(false);
  });
});
