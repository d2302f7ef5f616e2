import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../object.ts';
import { create, lines, podSpec, stored, update } from './testing/fixtures.ts';

const spec = (obj: JsonObject) => obj.spec as JsonObject;

/** A Job as the apiserver holds it after generating its selector and labels. */
function job(restartPolicy = 'Never'): JsonObject {
  const labels = { 'batch.kubernetes.io/controller-uid': 'u1', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'u1', 'job-name': 'pi' };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: 'u1', labels },
    spec: {
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      manualSelector: false,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } },
      template: { metadata: { labels }, spec: podSpec({ restartPolicy }) },
    },
  };
}

function cronJob(schedule = '*/1 * * * *'): JsonObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'echo-cj', namespace: 'default' },
    spec: {
      schedule,
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: { metadata: {}, spec: { backoffLimit: 6, template: { metadata: {}, spec: podSpec({ restartPolicy: 'OnFailure' }) } } },
    },
  };
}

describe('Job', () => {
  it('accepts OnFailure and Never', () => {
    expect(create(job('Never'))).toEqual([]);
    expect(create(job('OnFailure'))).toEqual([]);
  });

  it('rejects Always with the list of valid values', () => {
    expect(lines(create(job('Always')))).toEqual(['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  });

  it('rejects negative parallelism and completions', () => {
    const j = job();
    Object.assign(spec(j), { parallelism: -1, completions: -2 });
    expect(lines(create(j))).toEqual([
      'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
      'spec.completions: Invalid value: -2: must be greater than or equal to 0',
    ]);
  });

  it('freezes the template of a running Job', () => {
    const old = stored(job());
    const changed = structuredClone(old);
    ((spec(changed).template as JsonObject).spec as JsonObject).containers = [{ ...(((spec(old).template as JsonObject).spec as JsonObject).containers as JsonObject[])[0], image: 'perl:5' }];
    expect(lines(update(changed, old))).toEqual(['spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable']);
  });

  it('freezes completions of a NonIndexed Job', () => {
    const old = stored(job());
    const changed = structuredClone(old);
    spec(changed).completions = 3;
    expect(lines(update(changed, old))).toEqual(['spec.completions: Invalid value: 3: field is immutable']);
  });
});

describe('CronJob', () => {
  it('accepts a five-field schedule', () => {
    expect(create(cronJob())).toEqual([]);
  });

  it('requires a schedule (kubectl create cj --schedule="")', () => {
    expect(lines(create(cronJob('')))).toEqual(['spec.schedule: Required value']);
  });

  it('reports the cron parser error', () => {
    expect(lines(create(cronJob('*/1 * * *')))).toEqual(['spec.schedule: Invalid value: "*/1 * * *": expected exactly 5 fields, found 4: [*/1 * * *]']);
  });

  it('sends time zones to the timeZone field', () => {
    expect(lines(create(cronJob('TZ=UTC 0 * * * *')))).toEqual(['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']);
    const c = cronJob();
    spec(c).timeZone = 'Mars/Olympus';
    expect(lines(create(c))).toEqual(['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
  });

  it('wants the job template to restart OnFailure or Never', () => {
    const c = cronJob();
    (((spec(c).jobTemplate as JsonObject).spec as JsonObject).template as JsonObject).spec = podSpec();
    expect(lines(create(c))).toEqual(['spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  });

  it('keeps names short enough for the Jobs it creates', () => {
    const c = cronJob();
    (c.metadata as JsonObject).name = 'a'.repeat(53);
    expect(lines(create(c))).toEqual([`metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`]);
  });
});
