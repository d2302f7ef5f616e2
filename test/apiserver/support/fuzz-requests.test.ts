import { describe, expect, it } from 'vitest';
import { KUBE_PROTOBUF_MAGIC } from '@k8ts/api/protobuf/index.ts';
import { RequestFuzzer, seededRandom } from './fuzz-requests.ts';

const take = (seed: number, n: number) => {
  const fuzzer = new RequestFuzzer(seed);
  return Array.from({ length: n }, () => fuzzer.next());
};

describe('RequestFuzzer', () => {
  it('is reproducible from its seed', () => {
    expect(take(7, 300)).toEqual(take(7, 300));
    expect(take(7, 300)).not.toEqual(take(8, 300));
    const random = seededRandom(42);
    const values = Array.from({ length: 1000 }, random);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBe(1000);
  });

  it('covers methods, real and garbage paths, content types and protobuf bodies', () => {
    const requests = take(1, 3000);
    expect(new Set(requests.map((r) => r.method))).toEqual(new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE']));
    expect(requests.some((r) => r.path.startsWith('/apis/apps/v1/namespaces/'))).toBe(true);
    expect(requests.some((r) => r.path.startsWith('/api/v1/'))).toBe(true);
    expect(requests.some((r) => !/^\/apis?\//.test(r.path))).toBe(true);
    expect(new Set(requests.map((r) => r.headers?.['Content-Type'])).size).toBeGreaterThan(10);
    expect(requests.some((r) => r.body !== undefined && Buffer.from(r.body).subarray(0, 4).equals(KUBE_PROTOBUF_MAGIC))).toBe(true);
  });

  it('keeps every watch it makes short, so a run cannot hang on an open stream', () => {
    const watches = take(2, 5000).filter((r) => r.path.includes('/watch/') || /[?&]watch=(?!false|0)/i.test(r.path));
    expect(watches.length).toBeGreaterThan(50);
    for (const request of watches) expect(request.path).toMatch(/[?&]timeoutSeconds=/);
  });
});
