import { describe, expect, it } from 'vitest';
import { makeNode, makePod } from '../framework/testing/fixtures.ts';
import { clusterOf, scoreAll } from '../framework/testing/run-plugin.ts';
import { computeImageStates, ImageLocality, normalizedImageName } from './image-locality.ts';

const MB = 1024 * 1024;

describe('ImageLocality', () => {
  it('normalizes untagged images to :latest', () => {
    expect(normalizedImageName('nginx')).toBe('nginx:latest');
    expect(normalizedImageName('registry:5000/app')).toBe('registry:5000/app:latest');
    expect(normalizedImageName('nginx:1.27')).toBe('nginx:1.27');
  });

  it('prefers nodes holding big images, discounted by how widespread they are', () => {
    const cluster = clusterOf([
      makeNode('has', { images: [{ names: ['nginx:latest'], sizeBytes: 500 * MB }] }),
      makeNode('none'),
    ]);
    computeImageStates(cluster.nodeInfoList);
    // 500 MB × 1/2 of the nodes = 250 MB → 100 × (250 − 23) / (1000 − 23) = 23.
    expect(scoreAll(new ImageLocality(), makePod('p'), cluster)).toEqual({ has: [23, 23], none: [0, 0] });
  });
});
