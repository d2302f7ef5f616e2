import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../object.ts';
import { create, deployment, lines, podSpec, stored, update } from './testing/fixtures.ts';

const spec = (obj: JsonObject) => obj.spec as JsonObject;
const template = (obj: JsonObject) => spec(obj).template as JsonObject;

describe('Deployment', () => {
  it('accepts what kubectl create deployment sends', () => {
    expect(create(deployment())).toEqual([]);
  });

  it.each<[string, (d: JsonObject) => void, string[]]>([
    ['negative replicas', (d) => (spec(d).replicas = -1), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    [
      'a selector that misses the template labels',
      (d) => (spec(d).selector = { matchLabels: { app: 'api' } }),
      ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
    ],
    [
      'no selector',
      (d) => delete spec(d).selector,
      ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
    ],
    [
      'an empty selector',
      (d) => (spec(d).selector = {}),
      ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    ],
    [
      'a template that restarts OnFailure',
      (d) => ((template(d).spec as JsonObject).restartPolicy = 'OnFailure'),
      ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    ],
    [
      'a bad maxUnavailable',
      (d) => (spec(d).strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25', maxSurge: 0 } }),
      [
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"25\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ],
    ],
    [
      'maxUnavailable and maxSurge both 0',
      (d) => (spec(d).strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '0%', maxSurge: 0 } }),
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0'],
    ],
    [
      'an unknown strategy',
      (d) => (spec(d).strategy = { type: 'BlueGreen' }),
      ['spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"'],
    ],
    [
      'a progress deadline not above minReadySeconds',
      (d) => Object.assign(spec(d), { minReadySeconds: 600, progressDeadlineSeconds: 600 }),
      ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds'],
    ],
  ])('rejects %s', (_, change, expected) => {
    const d = deployment();
    change(d);
    expect(lines(create(d))).toEqual(expected);
  });

  it('validates the pod template', () => {
    const d = deployment();
    template(d).spec = podSpec({ containers: [{ name: 'web', image: '', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' }] });
    expect(lines(create(d))).toEqual(['spec.template.spec.containers[0].image: Required value']);
  });

  it('freezes the selector on update', () => {
    const old = stored(deployment());
    const changed = structuredClone(old);
    spec(changed).selector = { matchLabels: { app: 'web', tier: 'front' } };
    template(changed).metadata = { labels: { app: 'web', tier: 'front' } };
    expect(lines(update(changed, old))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"front"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  it('lets replicas and the template change', () => {
    const old = stored(deployment());
    const changed = structuredClone(old);
    spec(changed).replicas = 3;
    ((template(changed).spec as JsonObject).containers as JsonObject[])[0].image = 'nginx:1.27';
    expect(update(changed, old)).toEqual([]);
  });
});

function statefulSet(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: {
      replicas: 3,
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: podSpec() },
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    },
  };
}

describe('StatefulSet', () => {
  it('accepts a defaulted StatefulSet and wants a DNS-label name', () => {
    expect(create(statefulSet())).toEqual([]);
    const s = statefulSet();
    (s.metadata as JsonObject).name = 'db.main';
    expect(lines(create(s))).toEqual(['metadata.name: Invalid value: "db.main": must not contain dots']);
  });

  it('forbids updates outside replicas, template, updateStrategy, …', () => {
    const old = stored(statefulSet());
    const changed = structuredClone(old);
    spec(changed).serviceName = 'db-headless';
    expect(lines(update(changed, old))).toContain(
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    );
    const scaled = structuredClone(old);
    spec(scaled).replicas = 5;
    expect(update(scaled, old)).toEqual([]);
  });
});

describe('DaemonSet', () => {
  const daemonSet = (): JsonObject => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: podSpec() },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    },
  });

  it('accepts a defaulted DaemonSet', () => {
    expect(create(daemonSet())).toEqual([]);
  });

  it('wants maxUnavailable or maxSurge, not both', () => {
    const d = daemonSet();
    spec(d).updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } };
    expect(lines(create(d))).toEqual(['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero']);
  });
});
