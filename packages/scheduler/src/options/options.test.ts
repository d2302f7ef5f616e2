import { FlagError } from '@k8ts/controller-manager/options/flag-parser.ts';
import { describe, expect, it } from 'vitest';
import { parseSchedulerConfiguration, parseSchedulerOptions } from './options.ts';

const noConfig = (): never => {
  throw new Error('no config expected');
};

describe('parseSchedulerOptions', () => {
  it("defaults to kube-scheduler's: leader election on Lease kube-system/kube-scheduler, port 10259, QPS 50/100", () => {
    const options = parseSchedulerOptions([], noConfig);
    expect(options).toMatchObject({
      qps: 50,
      burst: 100,
      securePort: 10259,
      bindAddress: '0.0.0.0',
      verbosity: 0,
      leaderElection: { leaderElect: true, leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, resourceName: 'kube-scheduler', resourceNamespace: 'kube-system' },
      scheduling: { percentageOfNodesToScore: 0, podInitialBackoffMs: 1_000, podMaxBackoffMs: 10_000, schedulerNames: ['default-scheduler'] },
    });
  });

  it('reads the flags, -v included', () => {
    const options = parseSchedulerOptions(['--kubeconfig', '/etc/k/scheduler.conf', '--leader-elect=false', '--secure-port=0', '--kube-api-qps', '500', '-v=4'], noConfig);
    expect(options).toMatchObject({ kubeconfig: '/etc/k/scheduler.conf', securePort: 0, qps: 500, verbosity: 4, leaderElection: { leaderElect: false } });
    expect(parseSchedulerOptions(['-v', '5'], noConfig)).toMatchObject({ verbosity: 5 });
  });

  it('rejects bad flags with the words kube-scheduler uses', () => {
    expect(() => parseSchedulerOptions(['--nope'], noConfig)).toThrow('unknown flag: --nope');
    expect(() => parseSchedulerOptions(['--leader-elect-lease-duration=5s'], noConfig)).toThrow('leaseDuration must be greater than renewDeadline');
    expect(() => parseSchedulerOptions(['--secure-port=70000'], noConfig)).toThrow('--secure-port 70000 must be between 0 and 65535, inclusive. 0 for a free port');
  });

  it('takes the scheduling settings from --config', () => {
    const options = parseSchedulerOptions(['--config', '/etc/k/sched.yaml'], (path) => {
      expect(path).toBe('/etc/k/sched.yaml');
      return {
        apiVersion: 'kubescheduler.config.k8s.io/v1',
        kind: 'KubeSchedulerConfiguration',
        percentageOfNodesToScore: 30,
        podInitialBackoffSeconds: 2,
        podMaxBackoffSeconds: 20,
        profiles: [{ schedulerName: 'default-scheduler' }, { schedulerName: 'batch-scheduler' }],
      };
    });
    expect(options).toMatchObject({ scheduling: { percentageOfNodesToScore: 30, podInitialBackoffMs: 2_000, podMaxBackoffMs: 20_000, schedulerNames: ['default-scheduler', 'batch-scheduler'] } });
  });

  it('says which config file it could not read', () => {
    expect(() =>
      parseSchedulerOptions(['--config', '/missing.yaml'], () => {
        throw new Error('ENOENT: no such file or directory');
      }),
    ).toThrow('failed to read config file "/missing.yaml": ENOENT: no such file or directory');
  });
});

describe('parseSchedulerConfiguration', () => {
  const base = { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration' };

  it('validates the fields it reads', () => {
    expect(() => parseSchedulerConfiguration({ ...base, percentageOfNodesToScore: 101 })).toThrow('percentageOfNodesToScore: Invalid value: 101: not in valid range [0-100]');
    expect(() => parseSchedulerConfiguration({ ...base, podInitialBackoffSeconds: 0 })).toThrow('podInitialBackoffSeconds: Invalid value: 0: must be greater than 0');
    expect(() => parseSchedulerConfiguration({ ...base, podInitialBackoffSeconds: 5, podMaxBackoffSeconds: 2 })).toThrow(
      'podMaxBackoffSeconds: Invalid value: 2: must be greater than or equal to PodInitialBackoffSeconds',
    );
    expect(() => parseSchedulerConfiguration({ ...base, profiles: [{ schedulerName: 'a' }, { schedulerName: 'a' }] })).toThrow('profiles[1].schedulerName: Duplicate value: "a"');
  });

  it('refuses another kind or version', () => {
    expect(() => parseSchedulerConfiguration({ apiVersion: 'kubescheduler.config.k8s.io/v1beta3', kind: 'KubeSchedulerConfiguration' })).toThrow(FlagError);
    expect(() => parseSchedulerConfiguration({ apiVersion: 'v1', kind: 'ConfigMap' })).toThrow('no kind "ConfigMap" is registered for version "v1"');
  });

  it('names the default scheduler for a profile without a name', () => {
    expect(parseSchedulerConfiguration({ ...base, profiles: [{}] }).schedulerNames).toEqual(['default-scheduler']);
  });
});
