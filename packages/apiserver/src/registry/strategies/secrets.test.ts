import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { mergeStringData } from './secrets.ts';

const secret = (fields: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', ...fields });

describe('mergeStringData', () => {
  it('turns stringData into base64 data, over data of the same key, and drops it', () => {
    const written = secret({ data: { user: Buffer.from('root').toString('base64'), password: 'b2xk' }, stringData: { password: 'hunter2', note: 'ü' } });
    mergeStringData(written);
    expect(written).toEqual(
      secret({ data: { user: 'cm9vdA==', password: Buffer.from('hunter2').toString('base64'), note: Buffer.from('ü', 'utf8').toString('base64') } }),
    );
  });

  it('leaves a Secret without stringData as it is', () => {
    const written = secret({ data: { a: 'Yg==' } });
    mergeStringData(written);
    expect(written).toEqual(secret({ data: { a: 'Yg==' } }));
    const empty = secret({ stringData: {} });
    mergeStringData(empty);
    expect(empty).toEqual(secret({}));
  });
});
