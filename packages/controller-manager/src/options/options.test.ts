import { describe, expect, it } from 'vitest';
import { parseGoDuration } from './go-duration.ts';
import { CONTROLLER_MANAGER_HELP, parseControllerManagerOptions, type ControllerManagerOptions } from './options.ts';

function parse(...args: string[]): ControllerManagerOptions {
  const options = parseControllerManagerOptions(args);
  if (options === 'help') throw new Error('unexpected help');
  return options;
}

describe('Go durations', () => {
  it('reads what time.ParseDuration reads', () => {
    expect(parseGoDuration('15s')).toBe(15_000);
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('1.5h')).toBe(5_400_000);
    expect(parseGoDuration('500ms')).toBe(500);
    expect(parseGoDuration('0')).toBe(0);
    expect(() => parseGoDuration('15')).toThrow('time: missing unit in duration "15"');
    expect(() => parseGoDuration('15x')).toThrow('time: unknown unit "x" in duration "15x"');
    expect(() => parseGoDuration('')).toThrow('time: invalid duration ""');
  });
});

describe('controller-manager flags', () => {
  it("defaults to kube-controller-manager's", () => {
    const options = parse();
    expect(options.controllers).toEqual(['*']);
    expect(options.leaderElection).toEqual({
      leaderElect: true,
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      resourceName: 'kube-controller-manager',
      resourceNamespace: 'kube-system',
    });
    expect(options).toMatchObject({ securePort: 10257, bindAddress: '0.0.0.0', qps: 20, burst: 30, useServiceAccountCredentials: false });
    expect(options.concurrency['concurrent-serviceaccount-token-syncs']).toBe(5);
  });

  it('reads flags the way pflag does: =value or a separate value, bare booleans, repeated lists', () => {
    const options = parse(
      '--kubeconfig',
      '/etc/k/cm.conf',
      '--leader-elect=false',
      '--leader-elect-lease-duration=20s',
      '--use-service-account-credentials',
      '--controllers=*,-serviceaccount',
      '--controllers',
      'bootstrapsigner,tokencleaner',
      '--concurrent-serviceaccount-token-syncs',
      '2',
    );
    expect(options.kubeconfig).toBe('/etc/k/cm.conf');
    expect(options.leaderElection.leaderElect).toBe(false);
    expect(options.leaderElection.leaseDurationMs).toBe(20_000);
    expect(options.useServiceAccountCredentials).toBe(true);
    // Aliases become canonical names.
    expect(options.controllers).toEqual(['*', '-serviceaccount-controller', 'bootstrap-signer-controller', 'token-cleaner-controller']);
    expect(options.concurrency['concurrent-serviceaccount-token-syncs']).toBe(2);
  });

  it('rejects bad input with the messages Kubernetes prints', () => {
    expect(() => parse('--no-such-flag')).toThrow('unknown flag: --no-such-flag');
    expect(() => parse('--kubeconfig')).toThrow('flag needs an argument: --kubeconfig');
    expect(() => parse('--leader-elect=maybe')).toThrow('invalid argument "maybe" for "--leader-elect" flag: strconv.ParseBool: parsing "maybe": invalid syntax');
    expect(() => parse('--secure-port', 'http')).toThrow('invalid argument "http" for "--secure-port" flag: strconv.ParseInt: parsing "http": invalid syntax');
    expect(() => parse('--leader-elect-retry-period', '2')).toThrow(
      'invalid argument "2" for "--leader-elect-retry-period" flag: time: missing unit in duration "2"',
    );
    expect(() => parse('--controllers', '*,-nosuch')).toThrow('"nosuch" is not in the list of known controllers');
    expect(() => parse('--leader-elect-lease-duration', '10s')).toThrow('leaseDuration must be greater than renewDeadline');
    expect(() => parse('--leader-elect-retry-period', '9s')).toThrow('renewDeadline must be greater than retryPeriod*JitterFactor');
    expect(() => parse('--tls-cert-file', 'x.crt')).toThrow('--tls-cert-file and --tls-private-key-file must be given together');
    expect(() => parse('leader-elect')).toThrow('unexpected argument "leader-elect": this command takes flags only');
  });

  it('documents every flag with its default in --help', () => {
    expect(parseControllerManagerOptions(['--help'])).toBe('help');
    expect(CONTROLLER_MANAGER_HELP).toMatch(/--leader-elect-lease-duration duration +.* \(default 15s\)/);
    expect(CONTROLLER_MANAGER_HELP).toMatch(/--controllers strings +.* \(default \[\*\]\)/);
    expect(CONTROLLER_MANAGER_HELP).toMatch(/--min-resync-period duration +.* \(default 12h0m0s\)/);
    expect(CONTROLLER_MANAGER_HELP).toMatch(/--horizontal-pod-autoscaler-downscale-stabilization duration +.* \(default 5m0s\)/);
    expect(CONTROLLER_MANAGER_HELP).toMatch(/--horizontal-pod-autoscaler-tolerance float +.* \(default 0\.1\)/);
  });
});
