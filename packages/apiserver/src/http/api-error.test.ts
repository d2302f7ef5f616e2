import { describe, expect, it } from 'vitest';
import { errors } from './api-error.ts';

describe('errors.forbiddenResource', () => {
  it('names the resource and object as apimachinery NewForbidden does', () => {
    const status = errors
      .forbiddenResource({ group: '', resource: 'configmaps' }, 'late', 'unable to create new content in namespace web because it is being terminated', [
        { reason: 'NamespaceTerminating', message: 'namespace web is being terminated', field: 'metadata.namespace' },
      ])
      .toStatus();
    expect(status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "late" is forbidden: unable to create new content in namespace web because it is being terminated',
      reason: 'Forbidden',
      details: {
        name: 'late',
        group: '',
        kind: 'configmaps',
        causes: [{ reason: 'NamespaceTerminating', message: 'namespace web is being terminated', field: 'metadata.namespace' }],
      },
      code: 403,
    });
  });

  it('qualifies grouped resources and leaves out an unknown name', () => {
    const status = errors.forbiddenResource({ group: 'apps', resource: 'deployments' }, '', 'no').toStatus();
    expect(status.message).toBe('deployments.apps is forbidden: no');
    expect(status.details).toEqual({ group: 'apps', kind: 'deployments' });
  });
});
