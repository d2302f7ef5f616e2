import { describe, expect, it } from 'vitest';
import { parseResourcePath } from './request-info.ts';

const q = (s = '') => new URLSearchParams(s);

describe('parseResourcePath', () => {
  it('reads core and group paths, namespaced and cluster-scoped', () => {
    expect(parseResourcePath('GET', '/api/v1/namespaces/default/pods/web', q())).toEqual({
      group: '', version: 'v1', namespace: 'default', resource: 'pods', name: 'web', verb: 'get',
    });
    expect(parseResourcePath('GET', '/apis/apps/v1/deployments', q())).toEqual({
      group: 'apps', version: 'v1', resource: 'deployments', verb: 'list',
    });
    expect(parseResourcePath('DELETE', '/api/v1/nodes/n1', q())).toMatchObject({ resource: 'nodes', name: 'n1', verb: 'delete' });
  });

  it('tells the namespace object from a namespaced collection', () => {
    expect(parseResourcePath('GET', '/api/v1/namespaces/kube-system', q())).toMatchObject({ resource: 'namespaces', name: 'kube-system', verb: 'get' });
    expect(parseResourcePath('PUT', '/api/v1/namespaces/demo/finalize', q())).toMatchObject({ resource: 'namespaces', name: 'demo', subresource: 'finalize', verb: 'update' });
    expect(parseResourcePath('POST', '/api/v1/namespaces/demo/configmaps', q())).toMatchObject({ namespace: 'demo', resource: 'configmaps', verb: 'create' });
  });

  it('finds verbs for watches, collections and subresources', () => {
    expect(parseResourcePath('GET', '/api/v1/pods', q('watch=true'))?.verb).toBe('watch');
    expect(parseResourcePath('GET', '/api/v1/watch/namespaces/a/pods', q())).toMatchObject({ namespace: 'a', verb: 'watch' });
    expect(parseResourcePath('DELETE', '/api/v1/namespaces/a/pods', q())?.verb).toBe('deletecollection');
    expect(parseResourcePath('PATCH', '/apis/apps/v1/namespaces/a/deployments/web/scale', q())).toMatchObject({ subresource: 'scale', verb: 'patch' });
    expect(parseResourcePath('GET', '/api/v1/namespaces/a/pods/web/log', q())?.verb).toBe('get');
    expect(parseResourcePath('POST', '/api/v1/namespaces/a/pods/web/exec', q())?.verb).toBe('connect');
    expect(parseResourcePath('GET', '/api/v1/namespaces/a/services/web/proxy/x/y', q())).toMatchObject({ subresource: 'proxy', rest: 'x/y' });
  });

  it('leaves discovery paths alone and refuses unknown methods', () => {
    expect(parseResourcePath('GET', '/api/v1', q())).toBeUndefined();
    expect(parseResourcePath('GET', '/apis/apps/v1', q())).toBeUndefined();
    expect(() => parseResourcePath('TRACE', '/api/v1/pods', q())).toThrow(/does not allow this method/);
  });
});

describe('watch requests', () => {
  it('reads ?watch like Kubernetes decodes a boolean: any value but "false" and "0"', () => {
    for (const value of ['true', '1', 'yes', '', 'TRUE']) expect(parseResourcePath('GET', '/api/v1/pods', q(`watch=${value}`))?.verb).toBe('watch');
    for (const value of ['false', 'False', '0']) expect(parseResourcePath('GET', '/api/v1/pods', q(`watch=${value}`))?.verb).toBe('list');
  });

  it('gets a named object even with ?watch, and watches it under the /watch/ prefix', () => {
    expect(parseResourcePath('GET', '/api/v1/namespaces/a/pods/web', q('watch=true'))?.verb).toBe('get');
    expect(parseResourcePath('GET', '/api/v1/watch/namespaces/a/pods/web', q())).toMatchObject({ name: 'web', verb: 'watch' });
  });
});
