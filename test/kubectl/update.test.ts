// kubectl 1.32 changing objects in place: replace, edit, the three patch types and the scale
// and status subresources, label/annotate, scale, set image/env, rollout pause/resume/restart
// and autoscale.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeKubectl, table } from './suite.ts';

describeKubectl('kubectl 1.32 update', (ctx) => {
  const json = async (ns: string, ...args: string[]) => JSON.parse(await ctx.kubectl.ok(['get', ...args, '-o', 'json', '-n', ns]));
  const jsonpath = (ns: string, target: string, expression: string) => ctx.kubectl.ok(['get', target, '-n', ns, '-o', `jsonpath=${expression}`]);

  it('replaces from a file, refuses a stale resourceVersion, and recreates with --force', async () => {
    const ns = await ctx.namespace('update-replace');
    await ctx.kubectl.ok(['create', 'configmap', 'cfg', '--from-literal=size=1', '-n', ns]);
    const file = path.join(ctx.kubectl.home, `${ns}-cfg.yaml`);
    const saved = await ctx.kubectl.ok(['get', 'configmap', 'cfg', '-o', 'yaml', '-n', ns]);
    fs.writeFileSync(file, saved.replace('size: "1"', 'size: "2"'));
    expect(await ctx.kubectl.ok(['replace', '-f', file])).toBe('configmap/cfg replaced\n');
    expect(await jsonpath(ns, 'configmap/cfg', '{.data.size}')).toBe('2');

    // The file still carries the resourceVersion it was read at.
    const stale = await ctx.kubectl.run(['replace', '-f', file]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toBe(
      `Error from server (Conflict): error when replacing "${file}": Operation cannot be fulfilled on configmaps "cfg": the object has been modified; please apply your changes to the latest version and try again\n`,
    );

    const uid = await jsonpath(ns, 'configmap/cfg', '{.metadata.uid}');
    expect(await ctx.kubectl.ok(['replace', '--force', '-f', file])).toBe('configmap "cfg" deleted\nconfigmap/cfg replaced\n');
    expect(await jsonpath(ns, 'configmap/cfg', '{.data.size}')).toBe('2');
    expect(await jsonpath(ns, 'configmap/cfg', '{.metadata.uid}')).not.toBe(uid);

    const missing = await ctx.kubectl.run(['replace', '-f', '-'], { stdin: saved.replace('name: cfg', 'name: gone') });
    expect(missing.stderr).toBe('Error from server (NotFound): error when replacing "STDIN": configmaps "gone" not found\n');
  });

  it('edits with a scripted editor, and cancels an edit that changes nothing', async () => {
    const ns = await ctx.namespace('update-edit');
    await ctx.kubectl.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '-n', ns]);
    const edited = await ctx.kubectl.run(['edit', 'deployment', 'web', '-n', ns], { env: { EDITOR: 'sed -i s/imagePullPolicy:\\ IfNotPresent/imagePullPolicy:\\ Always/' } });
    expect(edited).toMatchObject({ code: 0, stdout: 'deployment.apps/web edited\n' });
    expect(await jsonpath(ns, 'deployment/web', '{.spec.template.spec.containers[0].imagePullPolicy} {.metadata.generation}')).toBe('Always 2');

    const untouched = await ctx.kubectl.run(['edit', 'deployment', 'web', '-n', ns], { env: { EDITOR: 'true' } });
    expect(untouched).toMatchObject({ code: 0, stdout: '' });
    expect(untouched.stderr).toBe('Edit cancelled, no changes made.\n');

    // An invalid edit is reported, and the edited copy is kept for the user.
    const invalid = await ctx.kubectl.run(['edit', 'deployment', 'web', '-n', ns], { env: { EDITOR: 'sed -i s/replicas:\\ 1/replicas:\\ -1/' } });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('error: deployments.apps "web" is invalid');
    expect(invalid.stderr).toMatch(/A copy of your changes has been stored to "\S+"/);
    expect(await jsonpath(ns, 'deployment/web', '{.spec.replicas}')).toBe('1');
  });

  it('patches with strategic merge, JSON merge and JSON patches, and through the scale and status subresources', async () => {
    const ns = await ctx.namespace('update-patch');
    await ctx.kubectl.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '-n', ns]);
    const patch = (...args: string[]) => ctx.kubectl.run(['patch', 'deployment', 'web', '-n', ns, ...args]);

    const sidecar = '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}';
    expect((await patch('-p', sidecar)).stdout).toBe('deployment.apps/web patched\n');
    // A strategic merge puts list items the server did not have in front of those it keeps.
    expect(await jsonpath(ns, 'deployment/web', '{.spec.template.spec.containers[*].name}')).toBe('sidecar nginx');
    expect((await patch('-p', sidecar)).stdout).toBe('deployment.apps/web patched (no change)\n');

    // A JSON merge patch replaces lists wholesale.
    expect((await patch('--type=merge', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}')).stdout).toBe('deployment.apps/web patched\n');
    expect(await jsonpath(ns, 'deployment/web', '{.spec.template.spec.containers[*].image}')).toBe('nginx:1.28');

    expect((await patch('--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3},{"op":"add","path":"/metadata/labels/tier","value":"fe"}]')).stdout).toBe(
      'deployment.apps/web patched\n',
    );
    expect(await jsonpath(ns, 'deployment/web', '{.spec.replicas} {.metadata.labels.tier}')).toBe('3 fe');
    const failedTest = await patch('--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":1}]');
    expect(failedTest.code).toBe(1);
    expect(failedTest.stderr).toBe('The request is invalid: the server rejected our request due to an error in our request\n');

    expect((await patch('--subresource=scale', '-p', '{"spec":{"replicas":5}}')).stdout).toBe('scale.autoscaling/web patched\n');
    expect(await jsonpath(ns, 'deployment/web', '{.spec.replicas}')).toBe('5');
    expect((await patch('--subresource=status', '--type=merge', '-p', '{"status":{"replicas":5,"readyReplicas":2,"availableReplicas":2}}')).stdout).toBe(
      'deployment.apps/web patched\n',
    );
    expect(table(await ctx.kubectl.ok(['get', 'deployment', 'web', '-n', ns]))[0]).toMatchObject({ READY: '2/5', AVAILABLE: '2' });
    // Status is the status subresource's: a patch of the main resource leaves it alone.
    expect((await patch('--type=merge', '-p', '{"status":{"readyReplicas":5}}')).stdout).toBe('deployment.apps/web patched (no change)\n');

    const invalid = await patch('--type=merge', '-p', '{"spec":{"replicas":-1}}');
    expect(invalid.stderr).toBe('The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n');
    const wrongType = await ctx.kubectl.run(['patch', 'configmap', 'missing', '-p', '{}', '-n', ns]);
    expect(wrongType.stderr).toBe('Error from server (NotFound): configmaps "missing" not found\n');
  });

  it('labels and annotates, overwriting only when asked, and removes with key-', async () => {
    const ns = await ctx.namespace('update-label');
    await ctx.kubectl.ok(['create', 'configmap', 'a', '-n', ns]);
    await ctx.kubectl.ok(['create', 'configmap', 'b', '-n', ns]);
    const run = (...args: string[]) => ctx.kubectl.run([...args, '-n', ns]);
    expect((await run('label', 'configmap', 'a', 'tier=fe')).stdout).toBe('configmap/a labeled\n');
    const noOverwrite = await run('label', 'configmap', 'a', 'tier=be');
    expect(noOverwrite).toMatchObject({ code: 1, stderr: "error: 'tier' already has a value (fe), and --overwrite is false\n" });
    expect((await run('label', 'configmap', 'a', 'tier=be', '--overwrite')).stdout).toBe('configmap/a labeled\n');
    expect((await run('label', 'configmap', 'a', 'tier=be', '--overwrite')).stdout).toBe('configmap/a not labeled\n');
    expect((await run('label', 'configmap', '--all', 'env=demo')).stdout).toBe('configmap/a labeled\nconfigmap/b labeled\n');
    expect(await ctx.kubectl.ok(['get', 'configmaps', '-l', 'env=demo,tier=be', '-o', 'name', '-n', ns])).toBe('configmap/a\n');
    expect((await run('label', 'configmap', 'a', 'tier-')).stdout).toBe('configmap/a unlabeled\n');
    expect(await jsonpath(ns, 'configmap/a', '{.metadata.labels}')).toBe('{"env":"demo"}');
    const invalidKey = await run('label', 'configmap', 'a', 'bad key=x');
    expect(invalidKey.stderr).toBe(
      'The ConfigMap "a" is invalid: metadata.labels: Invalid value: "bad key": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', ' +
        "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\n",
    );

    expect((await run('annotate', 'configmap', 'a', 'owner=chrono')).stdout).toBe('configmap/a annotated\n');
    const annotated = await run('annotate', 'configmap', 'a', 'owner=bob');
    expect(annotated.stderr).toBe("error: --overwrite is false but found the following declared annotation(s): 'owner' already has a value (chrono)\n");
    expect((await run('annotate', 'configmap', 'a', 'owner=bob', '--overwrite')).stdout).toBe('configmap/a annotated\n');
    // The change cause is the one annotation kubectl always lets through.
    expect((await run('annotate', 'configmap', 'a', 'kubernetes.io/change-cause=v1, ngx=1.21')).stdout).toBe('configmap/a annotated\n');
    expect((await run('annotate', 'configmap', 'a', 'kubernetes.io/change-cause=v2')).stdout).toBe('configmap/a annotated\n');
    expect(await jsonpath(ns, 'configmap/a', '{.metadata.annotations}')).toBe('{"kubernetes.io/change-cause":"v2","owner":"bob"}');
    expect((await run('annotate', 'configmap', 'a', 'kubernetes.io/change-cause-', 'owner-')).stdout).toBe('configmap/a annotated\n');
    expect((await json(ns, 'configmap', 'a')).metadata.annotations).toBeUndefined();
  });

  it('scales, checking the current replicas and resource version when asked', async () => {
    const ns = await ctx.namespace('update-scale');
    await ctx.kubectl.ok(['create', 'deployment', 'ngx-dep', '--image=nginx:alpine', '--replicas=2', '-n', ns]);
    const scale = (...args: string[]) => ctx.kubectl.run(['scale', 'deployment', 'ngx-dep', '-n', ns, ...args]);
    expect((await scale('--replicas=5')).stdout).toBe('deployment.apps/ngx-dep scaled\n');
    expect(await jsonpath(ns, 'deployment/ngx-dep', '{.spec.replicas} {.metadata.generation}')).toBe('5 2');
    expect(await scale('--replicas=3', '--current-replicas=2')).toMatchObject({ code: 1, stderr: 'error: Expected replicas to be 2, was 5\n' });
    expect((await scale('--replicas=3', '--current-replicas=5')).stdout).toBe('deployment.apps/ngx-dep scaled\n');
    const resourceVersion = await jsonpath(ns, 'deployment/ngx-dep', '{.metadata.resourceVersion}');
    expect((await scale('--replicas=4', '--resource-version=1')).stderr).toBe(`error: Expected resource version to be 1, was ${resourceVersion}\n`);
    expect((await scale('--replicas=4', `--resource-version=${resourceVersion}`)).stdout).toBe('deployment.apps/ngx-dep scaled\n');
    expect(await jsonpath(ns, 'deployment/ngx-dep', '{.spec.replicas}')).toBe('4');
    expect((await scale('--replicas=-1')).stderr).toBe('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n');
  });

  it('sets images and environment variables', async () => {
    const ns = await ctx.namespace('update-set');
    await ctx.kubectl.ok(['create', 'deployment', 'web', '--image=nginx:1.21-alpine', '-n', ns]);
    const set = (...args: string[]) => ctx.kubectl.run(['set', ...args, '-n', ns]);
    expect((await set('image', 'deployment/web', 'nginx=nginx:1.22-alpine')).stdout).toBe('deployment.apps/web image updated\n');
    expect(await jsonpath(ns, 'deployment/web', '{.spec.template.spec.containers[0].image}')).toBe('nginx:1.22-alpine');
    expect((await set('image', 'deployment/web', 'php=php:8')).stderr).toBe('error: unable to find container named "php"\n');

    expect((await set('env', 'deployment/web', 'GREETING=hello', 'DEBUG=on')).stdout).toBe('deployment.apps/web env updated\n');
    expect((await set('env', 'deployment/web', '--list')).stdout).toBe('# Deployment web, container nginx\nGREETING=hello\nDEBUG=on\n');
    expect((await set('env', 'deployment/web', 'DEBUG-')).stdout).toBe('deployment.apps/web env updated\n');
    expect((await json(ns, 'deployment', 'web')).spec.template.spec.containers[0].env).toEqual([{ name: 'GREETING', value: 'hello' }]);
  });

  it('pauses, resumes and restarts rollouts, and autoscales', async () => {
    const ns = await ctx.namespace('update-rollout');
    await ctx.kubectl.ok(['create', 'deployment', 'web', '--image=nginx', '-n', ns]);
    const rollout = (...args: string[]) => ctx.kubectl.run(['rollout', ...args, 'deployment/web', '-n', ns]);
    expect((await rollout('pause')).stdout).toBe('deployment.apps/web paused\n');
    expect(await jsonpath(ns, 'deployment/web', '{.spec.paused}')).toBe('true');
    expect((await rollout('pause')).stderr).toBe('error: deployments.apps "web" is already paused\n');
    expect((await rollout('resume')).stdout).toBe('deployment.apps/web resumed\n');
    expect((await json(ns, 'deployment', 'web')).spec.paused).toBeUndefined();
    expect((await rollout('resume')).stderr).toBe('error: deployments.apps "web" is not paused\n');

    const before = Date.now();
    expect((await rollout('restart')).stdout).toBe('deployment.apps/web restarted\n');
    const restartedAt = (await json(ns, 'deployment', 'web')).spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'];
    expect(Math.abs(Date.parse(restartedAt) - before)).toBeLessThan(60_000);

    expect(await ctx.kubectl.ok(['autoscale', 'deployment', 'web', '--min=2', '--max=10', '--cpu-percent=5', '-n', ns])).toBe(
      'horizontalpodautoscaler.autoscaling/web autoscaled\n',
    );
    expect(table(await ctx.kubectl.ok(['get', 'hpa', '-n', ns]))[0]).toMatchObject({
      NAME: 'web',
      REFERENCE: 'Deployment/web',
      TARGETS: 'cpu: <unknown>/5%',
      MINPODS: '2',
      MAXPODS: '10',
      REPLICAS: '0',
    });
    const hpa = JSON.parse(await ctx.kubectl.ok(['get', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-o', 'json', '-n', ns]));
    expect(hpa.spec).toEqual({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 5 });
  });
});
