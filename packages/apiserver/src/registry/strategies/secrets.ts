// Secrets: stringData is a write-only convenience. Kubernetes merges it over data (as bytes,
// which JSON shows base64-encoded) when it converts the request, so it is never stored or read.
import type { KubeObject } from '@k8ts/api';
import type { ResourceStrategy } from '../strategy.ts';

export function mergeStringData(secret: KubeObject): void {
  const stringData = secret.stringData as Record<string, string> | undefined;
  delete secret.stringData;
  if (!stringData || Object.keys(stringData).length === 0) return;
  const data = { ...((secret.data ?? {}) as Record<string, string>) };
  for (const [key, value] of Object.entries(stringData)) data[key] = Buffer.from(value, 'utf8').toString('base64');
  secret.data = data;
}

export const secretStrategy: ResourceStrategy = {
  prepareForCreate: mergeStringData,
  prepareForUpdate: mergeStringData,
};
