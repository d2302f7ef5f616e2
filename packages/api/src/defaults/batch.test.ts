import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object.ts';
import { defaulted } from './test-support.ts';

function job(spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'sleep-job' }): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec };
}

const BUSYBOX = { name: 'echo', image: 'busybox', command: ['/bin/echo'], args: ['hello', 'world'] };

/** busybox without a tag is busybox:latest: Always pulled. */
const DEFAULTED_BUSYBOX = {
  ...BUSYBOX,
  imagePullPolicy: 'Always',
  resources: {},
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
};

const POD_SPEC_DEFAULTS = {
  dnsPolicy: 'ClusterFirst',
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
};

describe('Job defaults', () => {
  it('completes what `kubectl create job echo-job --image=busybox` sends (the selector is the strategy’s job)', () => {
    const out = defaulted(
      job(
        { template: { metadata: {}, spec: { containers: [{ ...BUSYBOX, resources: {} }], restartPolicy: 'Never' } } },
        { name: 'echo-job' },
      ),
    );
    expect(out.spec).toEqual({
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      completions: 1,
      manualSelector: false,
      parallelism: 1,
      podReplacementPolicy: 'TerminatingOrFailed',
      suspend: false,
      template: {
        metadata: { creationTimestamp: null },
        spec: { containers: [DEFAULTED_BUSYBOX], restartPolicy: 'Never', ...POD_SPEC_DEFAULTS },
      },
    });
    expect(out.status).toEqual({});
  });

  it('keeps the tutorial job knobs and derives the Job labels from its template', () => {
    const out = defaulted(
      job({
        activeDeadlineSeconds: 15,
        backoffLimit: 2,
        completions: 4,
        parallelism: 2,
        template: { metadata: { labels: { app: 'sleep' } }, spec: { restartPolicy: 'OnFailure', containers: [BUSYBOX] } },
      }),
    );
    expect(out.spec).toMatchObject({ activeDeadlineSeconds: 15, backoffLimit: 2, completions: 4, parallelism: 2 });
    expect(out.metadata.labels).toEqual({ app: 'sleep' });
  });

  it('leaves completions unset when only parallelism is given (a work-queue job)', () => {
    const out = defaulted(job({ parallelism: 3, template: { spec: { restartPolicy: 'Never', containers: [BUSYBOX] } } }));
    expect(out.spec).not.toHaveProperty('completions');
    expect(out.spec).toMatchObject({ parallelism: 3 });
    const onlyCompletions = defaulted(job({ completions: 5, template: { spec: { restartPolicy: 'Never', containers: [BUSYBOX] } } }));
    expect(onlyCompletions.spec).toMatchObject({ completions: 5, parallelism: 1 });
  });

  it('turns off the global backoff limit when a per-index limit is set', () => {
    const out = defaulted(
      job({
        completionMode: 'Indexed',
        completions: 3,
        backoffLimitPerIndex: 1,
        template: { spec: { restartPolicy: 'Never', containers: [BUSYBOX] } },
      }),
    );
    expect(out.spec).toMatchObject({ backoffLimit: 2147483647, completionMode: 'Indexed' });
  });

  it('waits for failed pods to finish when a pod failure policy judges them', () => {
    const out = defaulted(
      job({
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
        template: { spec: { restartPolicy: 'Never', containers: [BUSYBOX] } },
      }),
    );
    expect(out.spec).toMatchObject({
      podReplacementPolicy: 'Failed',
      podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] },
    });
  });

  it('keeps existing labels on the Job itself', () => {
    const out = defaulted(
      job(
        { template: { metadata: { labels: { app: 'sleep' } }, spec: { restartPolicy: 'Never', containers: [BUSYBOX] } } },
        { name: 'j', labels: { team: 'a' } },
      ),
    );
    expect(out.metadata.labels).toEqual({ team: 'a' });
  });
});

describe('CronJob defaults', () => {
  it('completes what `kubectl create cronjob echo-cj --image=busybox --schedule=…` sends', () => {
    const out = defaulted({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'echo-cj' },
      spec: {
        schedule: '*/1 * * * *',
        jobTemplate: {
          metadata: { name: 'echo-cj' },
          spec: { template: { metadata: {}, spec: { containers: [{ ...BUSYBOX, resources: {} }], restartPolicy: 'OnFailure' } } },
        },
      },
      status: {},
    });
    expect(out.spec).toEqual({
      concurrencyPolicy: 'Allow',
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { creationTimestamp: null, name: 'echo-cj' },
        // The Job defaults (backoffLimit, …) are applied to each Job the controller creates, not here.
        spec: {
          template: {
            metadata: { creationTimestamp: null },
            spec: { containers: [DEFAULTED_BUSYBOX], restartPolicy: 'OnFailure', ...POD_SPEC_DEFAULTS },
          },
        },
      },
      schedule: '*/1 * * * *',
      successfulJobsHistoryLimit: 3,
      suspend: false,
    });
  });
});
