import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, SECOND, ago, describeColumns, printRow } from './testing.ts';

const template = { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }] } };
const selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } };

function job(status: object, spec: object = {}, metadata: object = {}) {
  return {
    metadata: { name: 'pi', creationTimestamp: ago(10 * MINUTE), ...metadata },
    spec: { completions: 1, parallelism: 1, selector, template, ...spec },
    status,
  };
}

const printJob = (status: object, spec?: object, metadata?: object) => printRow('batch', 'jobs', job(status, spec, metadata));
const condition = (type: string, status = 'True') => ({ type, status });

describe('job printer', () => {
  it('has the columns of kubectl get jobs', () => {
    expect(describeColumns('batch', 'jobs')).toEqual([
      'Name [name]',
      'Status',
      'Completions',
      'Duration',
      'Age',
      'Containers (wide)',
      'Images (wide)',
      'Selector (wide)',
    ]);
  });

  it('prints a running job with its duration so far', () => {
    const row = printJob({ active: 1, startTime: ago(9 * MINUTE + 30 * SECOND) });
    expect(row).toEqual({
      Name: 'pi',
      Status: 'Running',
      Completions: '0/1',
      Duration: '9m30s',
      Age: '10m',
      Containers: 'pi',
      Images: 'perl:5.34',
      Selector: 'batch.kubernetes.io/controller-uid=abc',
    });
  });

  it('prints a finished job with the time it took', () => {
    const row = printJob({
      succeeded: 1,
      startTime: ago(9 * MINUTE),
      completionTime: ago(9 * MINUTE - 42 * SECOND),
      conditions: [condition('SuccessCriteriaMet'), condition('Complete')],
    });
    expect(row).toMatchObject({ Status: 'Complete', Completions: '1/1', Duration: '42s' });
  });

  it('leaves the duration empty before the job started', () => {
    expect(printJob({}).Duration).toBe('');
  });

  it.each([
    [[condition('Failed')], {}, 'Failed'],
    [[condition('FailureTarget'), condition('Failed')], {}, 'Failed'],
    [[condition('FailureTarget')], {}, 'FailureTarget'],
    [[condition('Suspended')], {}, 'Suspended'],
    [[condition('Suspended', 'False')], {}, 'Running'],
    [[], { deletionTimestamp: ago(SECOND) }, 'Terminating'],
    [[condition('Complete')], { deletionTimestamp: ago(SECOND) }, 'Complete'],
  ])('conditions %j with metadata %j print as %s', (conditions, metadata, status) => {
    expect(printJob({ conditions }, {}, metadata).Status).toBe(status);
  });

  it('counts completions against completions, or against one for work-queue jobs', () => {
    expect(printJob({ succeeded: 3 }, { completions: 5, parallelism: 2 }).Completions).toBe('3/5');
    expect(printJob({ succeeded: 0 }, { completions: null, parallelism: 3 }).Completions).toBe('0/1 of 3');
    expect(printJob({ succeeded: 1 }, { completions: null, parallelism: 1 }).Completions).toBe('1/1');
  });
});

describe('cron job printer', () => {
  const cronJob = (spec: object, status: object = {}) => ({
    metadata: { name: 'backup', creationTimestamp: ago(2 * DAY) },
    spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template } }, ...spec },
    status,
  });

  it('has the columns of kubectl get cronjobs', () => {
    expect(describeColumns('batch', 'cronjobs')).toEqual([
      'Name [name]',
      'Schedule',
      'Timezone',
      'Suspend:boolean',
      'Active:integer',
      'Last Schedule',
      'Age',
      'Containers (wide)',
      'Images (wide)',
      'Selector (wide)',
    ]);
  });

  it('prints schedule, suspension and how long ago it last ran', () => {
    const row = printRow(
      'batch',
      'cronjobs',
      cronJob({ timeZone: 'Europe/Paris' }, { active: [{ name: 'backup-1' }], lastScheduleTime: ago(3 * MINUTE) }),
    );
    expect(row).toEqual({
      Name: 'backup',
      Schedule: '*/5 * * * *',
      Timezone: 'Europe/Paris',
      Suspend: 'False',
      Active: 1,
      'Last Schedule': '3m',
      Age: '2d',
      Containers: 'pi',
      Images: 'perl:5.34',
      Selector: '<none>',
    });
  });

  it('says <none> before the first run and without a time zone', () => {
    const row = printRow('batch', 'cronjobs', cronJob({ suspend: true }));
    expect(row).toMatchObject({ Timezone: '<none>', Suspend: 'True', Active: 0, 'Last Schedule': '<none>' });
    expect(printRow('batch', 'cronjobs', cronJob({ suspend: undefined })).Suspend).toBe('<unset>');
    expect(printRow('batch', 'cronjobs', cronJob({}, { lastScheduleTime: ago(5 * HOUR) }))['Last Schedule']).toBe('5h');
  });
});
