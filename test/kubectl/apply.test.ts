// kubectl 1.32 apply: client-side three-way strategic merges (the patches of contract §4.4),
// server-side apply with field ownership, dry runs, field validation, multi-document and List
// manifests, and diff.
import { expect, it } from 'vitest';
import { describeKubectl } from './suite.ts';

interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value: string }[];
  ports?: { containerPort: number }[];
}

/** A Deployment manifest; JSON is YAML, and keeps each case's intent readable. */
function deployment(ns: string, spec: { replicas?: number; strategy?: object; minReadySeconds?: number; containers: Container[]; tolerations?: object[] }): string {
  const { containers, tolerations, ...rest } = spec;
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: ns },
    spec: {
      ...rest,
      selector: { matchLabels: { app: 'app' } },
      template: { metadata: { labels: { app: 'app' } }, spec: { containers, ...(tolerations ? { tolerations } : {}) } },
    },
  });
}

const configMap = (ns: string, name: string, data: Record<string, string>, extra = '') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${extra}data: ${JSON.stringify(data)}\n`;

const CONFLICT_ADVICE = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
`;

describeKubectl('kubectl 1.32 apply', (ctx) => {
  const live = async (ns: string, kind: string, name: string) => JSON.parse(await ctx.kubectl.ok(['get', kind, name, '-o', 'json', '-n', ns]));

  it('creates, leaves unchanged, and three-way merges image, env and replica changes', async () => {
    const ns = await ctx.namespace('apply-3way');
    const v1 = deployment(ns, {
      replicas: 2,
      minReadySeconds: 5,
      containers: [{ name: 'nginx', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }],
    });
    expect(await ctx.kubectl.ok(['apply', '-f', '-'], { stdin: v1 })).toBe('deployment.apps/app created\n');
    const created = await live(ns, 'deployment', 'app');
    const lastApplied = created.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
    expect(lastApplied.endsWith('}\n')).toBe(true);
    expect(JSON.parse(lastApplied)).toEqual({ ...JSON.parse(v1), metadata: { annotations: {}, name: 'app', namespace: ns } });
    expect(await ctx.kubectl.ok(['apply', '-f', '-'], { stdin: v1 })).toBe('deployment.apps/app unchanged\n');

    // Someone else's change (not in any manifest) survives the three-way merge.
    await ctx.kubectl.ok(['annotate', 'deployment', 'app', 'team=web', '-n', ns]);
    const v2 = deployment(ns, { replicas: 3, containers: [{ name: 'nginx', image: 'nginx:1.26', env: [{ name: 'A', value: '1' }] }] });
    expect(await ctx.kubectl.ok(['apply', '-f', '-'], { stdin: v2 })).toBe('deployment.apps/app configured\n');
    const updated = await live(ns, 'deployment', 'app');
    expect(updated.spec.replicas).toBe(3);
    expect(updated.spec.minReadySeconds).toBeUndefined(); // in the last manifest only: deleted
    expect(updated.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:1.26', env: [{ name: 'A', value: '1' }] });
    expect(updated.metadata.annotations.team).toBe('web');
    expect(updated.metadata.generation).toBe(2);
    expect(await ctx.kubectl.ok(['apply', '-f', '-'], { stdin: v2 })).toBe('deployment.apps/app unchanged\n');
  });

  it('replaces the strategy through $retainKeys and reorders containers, dropping a port and the tolerations', async () => {
    const ns = await ctx.namespace('apply-directives');
    const before = deployment(ns, {
      containers: [
        { name: 'a', image: 'nginx', ports: [{ containerPort: 80 }, { containerPort: 81 }] },
        { name: 'b', image: 'busybox', args: ['sleep', '1d'] },
      ],
      tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
    });
    await ctx.kubectl.ok(['apply', '-f', '-'], { stdin: before });
    expect((await live(ns, 'deployment', 'app')).spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });

    const after = deployment(ns, {
      strategy: { type: 'Recreate' },
      containers: [
        { name: 'b', image: 'busybox', args: ['sleep', '2d'] },
        { name: 'a', image: 'nginx', ports: [{ containerPort: 81 }] },
      ],
    });
    expect(await ctx.kubectl.ok(['apply', '-f', '-'], { stdin: after })).toBe('deployment.apps/app configured\n');
    const spec = (await live(ns, 'deployment', 'app')).spec;
    expect(spec.strategy).toEqual({ type: 'Recreate' });
    expect(spec.template.spec.containers.map((c: Container) => c.name)).toEqual(['b', 'a']);
    expect(spec.template.spec.containers[0].args).toEqual(['sleep', '2d']);
    expect(spec.template.spec.containers[1].ports).toEqual([{ containerPort: 81, protocol: 'TCP' }]);
    expect(spec.template.spec.tolerations).toBeUndefined();
  });

  it('applies server-side: creates, updates, reports conflicts with advice, and forces them', async () => {
    const ns = await ctx.namespace('apply-ssa');
    const ssa = (data: Record<string, string>, ...flags: string[]) =>
      ctx.kubectl.run(['apply', '--server-side', ...flags, '-f', '-'], { stdin: configMap(ns, 'settings', data) });
    expect((await ssa({ mode: 'a' })).stdout).toBe('configmap/settings serverside-applied\n');
    expect((await ssa({ mode: 'b', extra: 'x' })).stdout).toBe('configmap/settings serverside-applied\n');
    expect((await live(ns, 'configmap', 'settings')).data).toEqual({ mode: 'b', extra: 'x' });
    // Applying without a field removes it: the manager no longer wants it.
    await ssa({ mode: 'b' });
    expect((await live(ns, 'configmap', 'settings')).data).toEqual({ mode: 'b' });

    const conflict = await ssa({ mode: 'c' }, '--field-manager=ops');
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toBe(`error: Apply failed with 1 conflict: conflict with "kubectl": .data.mode\n${CONFLICT_ADVICE}`);
    expect((await ssa({ mode: 'c' }, '--field-manager=ops', '--force-conflicts')).code).toBe(0);
    const forced = JSON.parse(await ctx.kubectl.ok(['get', 'configmap', 'settings', '-o', 'json', '--show-managed-fields', '-n', ns]));
    expect(forced.data).toEqual({ mode: 'c' });
    // kubectl owned only .data.mode, so it no longer manages anything.
    expect(forced.metadata.managedFields).toMatchObject([{ manager: 'ops', operation: 'Apply', fieldsV1: { 'f:data': { 'f:mode': {} } } }]);
  });

  it('conflicts with the fields a client-side apply set, and migrates them when kubectl applies server-side', async () => {
    const ns = await ctx.namespace('apply-ssa-csa');
    const manifest = (replicas: number) => deployment(ns, { replicas, containers: [{ name: 'nginx', image: 'nginx' }] });
    await ctx.kubectl.ok(['apply', '-f', '-'], { stdin: manifest(2) });
    const other = await ctx.kubectl.run(['apply', '--server-side', '--field-manager=ops', '-f', '-'], { stdin: manifest(4) });
    expect(other.stderr).toBe(`error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas\n${CONFLICT_ADVICE}`);

    // kubectl's own manager may take over what its client-side applies set (the last-applied
    // configuration says so), and then hands their ownership to itself.
    expect(await ctx.kubectl.ok(['apply', '--server-side', '-f', '-'], { stdin: manifest(4) })).toBe('deployment.apps/app serverside-applied\n');
    const migrated = JSON.parse(await ctx.kubectl.ok(['get', 'deployment', 'app', '-o', 'json', '--show-managed-fields', '-n', ns]));
    expect(migrated.spec.replicas).toBe(4);
    expect(migrated.metadata.managedFields.map((m: { manager: string }) => m.manager).sort()).toEqual(['kubectl', 'kubectl-last-applied']);
    expect(JSON.parse(migrated.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).spec.replicas).toBe(4);
  });

  it('dry-runs on the server without storing anything', async () => {
    const ns = await ctx.namespace('apply-dry');
    expect(await ctx.kubectl.ok(['apply', '--dry-run=server', '-f', '-'], { stdin: configMap(ns, 'dry', { a: '1' }) })).toBe('configmap/dry created (server dry run)\n');
    expect((await ctx.kubectl.run(['get', 'configmap', 'dry', '-n', ns])).stderr).toBe('Error from server (NotFound): configmaps "dry" not found\n');

    await ctx.kubectl.ok(['apply', '-f', '-'], { stdin: configMap(ns, 'dry', { a: '1' }) });
    expect(await ctx.kubectl.ok(['apply', '--dry-run=server', '-f', '-'], { stdin: configMap(ns, 'dry', { a: '2' }) })).toBe('configmap/dry configured (server dry run)\n');
    expect(await ctx.kubectl.ok(['apply', '--server-side', '--dry-run=server', '-f', '-'], { stdin: configMap(ns, 'dry', { a: '3' }) })).toBe(
      'configmap/dry serverside-applied (server dry run)\n',
    );
    expect((await live(ns, 'configmap', 'dry')).data).toEqual({ a: '1' });
  });

  it('validates fields on the server: strict rejects unknown fields, warn reports them, false drops them', async () => {
    const ns = await ctx.namespace('apply-validate');
    const withUnknown = (name: string) =>
      deployment(ns, { containers: [{ name: 'nginx', image: 'nginx', bogus: true } as Container] }).replace('"name":"app"', `"name":"${name}","colour":"red"`);
    const strict = await ctx.kubectl.run(['apply', '-f', '-'], { stdin: withUnknown('strict') });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe(
      'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: ' +
        'strict decoding error: unknown field "metadata.colour", unknown field "spec.template.spec.containers[0].bogus"\n',
    );
    const warned = await ctx.kubectl.run(['create', '--validate=warn', '-f', '-'], { stdin: withUnknown('warned') });
    expect(warned.stdout).toBe('deployment.apps/warned created\n');
    expect(warned.stderr).toBe('Warning: unknown field "metadata.colour"\nWarning: unknown field "spec.template.spec.containers[0].bogus"\n');
    expect(await ctx.kubectl.ok(['apply', '--validate=false', '-f', '-'], { stdin: withUnknown('ignored') })).toBe('deployment.apps/ignored created\n');
    expect((await live(ns, 'deployment', 'ignored')).spec.template.spec.containers[0].bogus).toBeUndefined();
  });

  it('applies multi-document YAML and (with --validate=false) a List', async () => {
    const ns = await ctx.namespace('apply-docs');
    const docs = [
      configMap(ns, 'one', { a: '1' }),
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: two\n  namespace: ${ns}\nstringData:\n  password: hunter2\n`,
      deployment(ns, { containers: [{ name: 'nginx', image: 'nginx' }] }),
    ].join('---\n');
    expect(await ctx.kubectl.ok(['apply', '-f', '-'], { stdin: docs })).toBe('configmap/one created\nsecret/two created\ndeployment.apps/app created\n');
    expect(Buffer.from((await live(ns, 'secret', 'two')).data.password, 'base64').toString()).toBe('hunter2');
    // stringData is write-only, so kubectl sends it again every time (as it does against real clusters).
    expect(await ctx.kubectl.ok(['apply', '-f', '-'], { stdin: docs })).toBe('configmap/one unchanged\nsecret/two configured\ndeployment.apps/app unchanged\n');
    expect((await live(ns, 'secret', 'two')).stringData).toBeUndefined();

    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: ['l1', 'l2'].map((name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns } })),
    });
    expect(await ctx.kubectl.ok(['apply', '--validate=false', '-f', '-'], { stdin: list })).toBe('configmap/l1 created\nconfigmap/l2 created\n');
  });

  it('diffs a manifest against the live object through a server dry run', async () => {
    const ns = await ctx.namespace('apply-diff');
    await ctx.kubectl.ok(['apply', '-f', '-'], { stdin: configMap(ns, 'cfg', { size: '1' }) });
    const same = await ctx.kubectl.run(['diff', '-f', '-'], { stdin: configMap(ns, 'cfg', { size: '1' }) });
    expect(same).toMatchObject({ code: 0, stdout: '' });

    const changed = await ctx.kubectl.run(['diff', '-f', '-'], { stdin: configMap(ns, 'cfg', { size: '2' }) });
    expect(changed.code).toBe(1);
    const lines = changed.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^diff -u -N \\S+/LIVE-\\d+/v1\\.ConfigMap\\.${ns}\\.cfg \\S+/MERGED-\\d+/v1\\.ConfigMap\\.${ns}\\.cfg$`));
    expect(lines).toContain('-  size: "1"');
    expect(lines).toContain('+  size: "2"');
    expect((await live(ns, 'configmap', 'cfg')).data).toEqual({ size: '1' });

    const added = await ctx.kubectl.run(['diff', '-f', '-'], { stdin: configMap(ns, 'new', { k: 'v' }) });
    expect(added.code).toBe(1);
    expect(added.stdout).toContain('\n+kind: ConfigMap\n');
    expect(added.stdout).toContain('\n+  k: v\n');
  });
});
