import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { generateJobSelector } from './jobs.ts';

function job(spec: Record<string, unknown>, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', uid: 'u-1', ...(labels ? { labels } : {}) }, spec };
}

describe('generateJobSelector', () => {
  it('selects on the controller uid and labels the template with the job name and uid', () => {
    const created = job({ template: { spec: {} } });
    generateJobSelector(created);
    const generated = {
      'batch.kubernetes.io/controller-uid': 'u-1',
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': 'u-1',
      'job-name': 'pi',
    };
    expect(created.spec).toEqual({
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } },
      template: { metadata: { labels: generated }, spec: {} },
    });
    expect(created.metadata.labels).toEqual(generated);
  });

  it('keeps labels the user set (validation judges them) and the Job labels it already has', () => {
    const created = job({ template: { metadata: { labels: { app: 'pi', 'job-name': 'other' } } } }, { team: 'a' });
    generateJobSelector(created);
    expect((created.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels).toMatchObject({
      app: 'pi',
      'job-name': 'other',
      'batch.kubernetes.io/job-name': 'pi',
    });
    expect(created.metadata.labels).toEqual({ team: 'a' });
  });

  it('leaves a manual selector alone', () => {
    const spec = { manualSelector: true, selector: { matchLabels: { app: 'pi' } }, template: { metadata: { labels: { app: 'pi' } } } };
    const created = job(structuredClone(spec));
    generateJobSelector(created);
    expect(created.spec).toEqual(spec);
    expect(created.metadata.labels).toBeUndefined();
  });
});
