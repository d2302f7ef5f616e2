import { describe, expect, it } from 'vitest';
import { normalizedImageName, parseImageReference } from './image-name.ts';

describe('image names', () => {
  it('puts Docker Hub names under docker.io/library with :latest', () => {
    expect(normalizedImageName('nginx')).toBe('docker.io/library/nginx:latest');
    expect(normalizedImageName('nginx:1.27')).toBe('docker.io/library/nginx:1.27');
    expect(normalizedImageName('bitnami/redis:7')).toBe('docker.io/bitnami/redis:7');
  });

  it('keeps an explicit registry, including one with a port', () => {
    expect(normalizedImageName('registry.k8s.io/pause:3.10')).toBe('registry.k8s.io/pause:3.10');
    expect(normalizedImageName('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(parseImageReference('localhost:5000/app:v2')).toEqual({ repository: 'localhost:5000/app', tag: 'v2' });
  });

  it('keeps a digest and adds no tag to it', () => {
    const digest = 'sha256:' + 'a'.repeat(64);
    expect(normalizedImageName(`busybox@${digest}`)).toBe(`docker.io/library/busybox@${digest}`);
  });
});
