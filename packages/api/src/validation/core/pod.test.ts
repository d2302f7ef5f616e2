import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../object.ts';
import { container, create, lines, pod, podSpec, stored, update } from '../testing/fixtures.ts';

const spec = (obj: JsonObject) => obj.spec as JsonObject;
const firstContainer = (obj: JsonObject) => (spec(obj).containers as JsonObject[])[0];

describe('Pod create', () => {
  it('accepts what kubectl run sends', () => {
    expect(create(pod())).toEqual([]);
  });

  it.each<[string, (p: JsonObject) => void, string[]]>([
    ['no containers', (p) => (spec(p).containers = []), ['spec.containers: Required value']],
    ['no image', (p) => delete firstContainer(p).image, ['spec.containers[0].image: Required value']],
    [
      'an upper-case container name',
      (p) => (firstContainer(p).name = 'Web'),
      [
        "spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
    ['two containers with one name', (p) => (spec(p).containers = [container(), container()]), ['spec.containers[1].name: Duplicate value: "nginx"']],
    [
      'a bad restart policy',
      (p) => (spec(p).restartPolicy = 'Sometimes'),
      ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ],
    [
      'a bad DNS policy',
      (p) => (spec(p).dnsPolicy = 'Cluster'),
      ['spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    ],
    [
      'a port out of range and an unknown protocol',
      (p) => (firstContainer(p).ports = [{ containerPort: 70000, protocol: 'HTTP' }]),
      [
        'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      ],
    ],
    [
      'an env var with "="',
      (p) => (firstContainer(p).env = [{ name: 'A=B', value: 'x' }]),
      ["spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"],
    ],
    [
      'a mount of an undeclared volume',
      (p) => (firstContainer(p).volumeMounts = [{ name: 'data', mountPath: '/data' }]),
      ['spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    ],
    [
      'requests above limits',
      (p) => (firstContainer(p).resources = { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '1', memory: '64Mi' } }),
      ['spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m'],
    ],
    [
      'a negative request',
      (p) => (firstContainer(p).resources = { requests: { memory: '-1Gi' } }),
      ['spec.containers[0].resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0'],
    ],
    [
      'an unknown resource',
      (p) => (firstContainer(p).resources = { limits: { gpu: '1' } }),
      [
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      ],
    ],
    [
      'a liveness probe with successThreshold 2 and no handler',
      (p) => (firstContainer(p).livenessProbe = { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 2, failureThreshold: 3 }),
      ['spec.containers[0].livenessProbe: Required value: must specify a handler type', 'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
    ],
    [
      'a probe with two handlers',
      (p) =>
        (firstContainer(p).readinessProbe = {
          exec: { command: ['true'] },
          httpGet: { path: '/', port: 80, scheme: 'HTTP' },
          timeoutSeconds: 1,
          periodSeconds: 10,
          successThreshold: 1,
          failureThreshold: 3,
        }),
      ['spec.containers[0].readinessProbe.httpGet: Forbidden: may not specify more than 1 handler type'],
    ],
    [
      'an httpGet probe on port 0',
      (p) =>
        (firstContainer(p).livenessProbe = { httpGet: { path: '/healthz', port: 0, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 }),
      ['spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive'],
    ],
  ])('rejects %s', (_, change, expected) => {
    const p = pod();
    change(p);
    expect(lines(create(p))).toEqual(expected);
  });

  it('wants unique DNS-label volume names with exactly one source', () => {
    const p = pod('web', podSpec({
      volumes: [
        { name: 'data', emptyDir: {}, hostPath: { path: '/tmp' } },
        { name: 'Config' },
        { name: 'cfg', configMap: { name: 'app' } },
        { name: 'cfg', secret: { secretName: 's' } },
      ],
    }));
    expect(lines(create(p))).toEqual([
      'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
      'spec.volumes[1]: Required value: must specify a volume type',
      "spec.volumes[1].name: Invalid value: \"Config\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      'spec.volumes[3].name: Duplicate value: "cfg"',
    ]);
  });

  it('mounts only valid volumes, at unique paths', () => {
    const p = pod('web', podSpec({ volumes: [{ name: 'cfg', configMap: { name: 'app', items: [{ key: 'a', path: '../a' }] } }, { name: 'data', emptyDir: {} }] }));
    firstContainer(p).volumeMounts = [
      { name: 'data', mountPath: '/data' },
      { name: 'data', mountPath: '/data' },
      { name: 'cfg', mountPath: '/etc/app' },
    ];
    expect(lines(create(p))).toEqual([
      "spec.volumes[0].configMap.items[0].path: Invalid value: \"../a\": must not contain '..'",
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique',
      'spec.containers[0].volumeMounts[2].name: Not found: "cfg"',
    ]);
  });

  it('checks tolerations', () => {
    const p = pod('web', podSpec({ tolerations: [{ operator: 'Equal', value: 'x' }, { key: 'k', operator: 'Maybe', effect: 'NoRun' }] }));
    expect(lines(create(p))).toEqual([
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      'spec.tolerations[1].operator: Unsupported value: "Maybe": supported values: "Equal", "Exists"',
      'spec.tolerations[1].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });

  it('forbids ephemeral containers on create', () => {
    const p = pod('web', podSpec({ ephemeralContainers: [{ name: 'debug', image: 'busybox' }] }));
    expect(lines(create(p))).toContain('spec.ephemeralContainers: Forbidden: cannot be set on create');
  });
});

describe('Pod update', () => {
  const UPDATABLE =
    'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

  it('lets the image change', () => {
    const old = stored(pod());
    const changed = structuredClone(old);
    firstContainer(changed).image = 'nginx:1.27';
    expect(update(changed, old)).toEqual([]);
  });

  it('forbids changing anything else, naming the allowed fields', () => {
    const old = stored(pod());
    const changed = structuredClone(old);
    firstContainer(changed).command = ['sleep', '3600'];
    const errors = update(changed, old);
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe('spec');
    expect(errors[0].type).toBe('FieldValueForbidden');
    expect(errors[0].message.split('\n')[0]).toBe(`Forbidden: ${UPDATABLE}`);
  });

  it('does not let containers be added', () => {
    const old = stored(pod());
    const changed = structuredClone(old);
    spec(changed).containers = [container(), container('sidecar', 'busybox')];
    expect(lines(update(changed, old))).toEqual(['spec.containers: Forbidden: pod updates may not add or remove containers']);
  });

  it('lets activeDeadlineSeconds only shrink', () => {
    const old = stored(pod('web', podSpec({ activeDeadlineSeconds: 60 })));
    const changed = structuredClone(old);
    spec(changed).activeDeadlineSeconds = 120;
    expect(lines(update(changed, old))).toEqual(['spec.activeDeadlineSeconds: Invalid value: 120: must be less than or equal to previous value']);
    spec(changed).activeDeadlineSeconds = 30;
    expect(update(changed, old)).toEqual([]);
  });

  it('allows added tolerations but not changed ones', () => {
    const old = stored(pod('web', podSpec({ tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }] })));
    const added = structuredClone(old);
    spec(added).tolerations = [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }, { key: 'b', operator: 'Exists' }];
    expect(update(added, old)).toEqual([]);
    const changed = structuredClone(old);
    spec(changed).tolerations = [{ key: 'c', operator: 'Exists', effect: 'NoSchedule' }];
    expect(lines(update(changed, old))).toContain('spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds');
  });
});
