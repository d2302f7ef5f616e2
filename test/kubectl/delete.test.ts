// kubectl 1.32 deleting — by name, label, --all and file, graceful and forced, with every
// propagation policy and with preconditions — and how kubectl prints the apiserver's errors
// (404, 405, 409, 403, 422).
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeKubectl, table } from './suite.ts';

const configMap = (ns: string, name: string, labels: Record<string, string> = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels } });

describeKubectl('kubectl 1.32 delete', (ctx) => {
  const names = async (ns: string, kind: string) => (await ctx.kubectl.ok(['get', kind, '-o', 'name', '-n', ns])).trim().split('\n').filter(Boolean);

  it('deletes by name, label, --all and file, and says what was not there', async () => {
    const ns = await ctx.namespace('delete-basic');
    for (const [name, tier] of [['a', 'fe'], ['b', 'fe'], ['c', 'be'], ['d', 'be']] as const) {
      await ctx.kubectl.ok(['create', '-f', '-'], { stdin: configMap(ns, name, { tier }) });
    }
    expect(await ctx.kubectl.ok(['delete', 'configmap', 'a', '-n', ns])).toBe('configmap "a" deleted\n');
    const missing = await ctx.kubectl.run(['delete', 'configmap', 'a', '-n', ns]);
    expect(missing).toMatchObject({ code: 1, stdout: '', stderr: 'Error from server (NotFound): configmaps "a" not found\n' });
    expect(await ctx.kubectl.run(['delete', 'configmap', 'a', '--ignore-not-found', '-n', ns])).toMatchObject({ code: 0, stdout: '', stderr: '' });

    expect(await ctx.kubectl.ok(['delete', 'configmaps', '-l', 'tier=fe', '-n', ns])).toBe('configmap "b" deleted\n');
    expect(await names(ns, 'configmaps')).toEqual(['configmap/c', 'configmap/d']);
    const none = await ctx.kubectl.run(['delete', 'configmaps', '-l', 'tier=fe', '-n', ns]);
    expect(none).toMatchObject({ code: 0, stdout: 'No resources found\n', stderr: '' });
    expect(await ctx.kubectl.ok(['delete', 'configmaps', '--all', '-n', ns])).toBe('configmap "c" deleted\nconfigmap "d" deleted\n');

    const file = path.join(ctx.kubectl.home, `${ns}.yaml`);
    fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${ns}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: password\n  namespace: ${ns}\n`);
    await ctx.kubectl.ok(['create', '-f', file]);
    expect(await ctx.kubectl.ok(['delete', '-f', file])).toBe('configmap "settings" deleted\nsecret "password" deleted\n');
    const again = await ctx.kubectl.run(['delete', '-f', file]);
    expect(again.stderr).toBe(
      `Error from server (NotFound): error when deleting "${file}": configmaps "settings" not found\nError from server (NotFound): error when deleting "${file}": secrets "password" not found\n`,
    );
  });

  it('deletes pods on a node gracefully, and at once when forced', async () => {
    const ns = await ctx.namespace('delete-pods');
    const pod = (name: string) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }] } });
    await ctx.kubectl.ok(['create', '-f', '-'], { stdin: pod('graceful') });
    expect(await ctx.kubectl.ok(['delete', 'pod', 'graceful', '--wait=false', '-n', ns])).toBe('pod "graceful" deleted\n');
    // Scheduled to a node: the pod waits for its kubelet (30s by default) and shows Terminating.
    const terminating = JSON.parse(await ctx.kubectl.ok(['get', 'pod', 'graceful', '-o', 'json', '-n', ns]));
    expect(terminating.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(Date.parse(terminating.metadata.deletionTimestamp) - Date.now()).toBeGreaterThan(10_000);
    expect(table(await ctx.kubectl.ok(['get', 'pods', '-n', ns]))[0]).toMatchObject({ NAME: 'graceful', STATUS: 'Terminating' });

    const forced = await ctx.kubectl.run(['delete', 'pod', 'graceful', '--grace-period=0', '--force', '-n', ns]);
    expect(forced.stdout).toBe('pod "graceful" force deleted\n');
    expect(forced.stderr).toBe(
      'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n',
    );
    expect(await names(ns, 'pods')).toEqual([]);

    // A pod no node has taken goes at once, and kubectl's wait for it returns.
    await ctx.kubectl.ok(['run', 'unscheduled', '--image=busybox', '-n', ns]);
    expect(await ctx.kubectl.ok(['delete', 'pod', 'unscheduled', '-n', ns])).toBe('pod "unscheduled" deleted\n');
    expect(await names(ns, 'pods')).toEqual([]);
  });

  it('orphans and deletes in the foreground through finalizers, and in the background at once', async () => {
    const ns = await ctx.namespace('delete-cascade');
    for (const name of ['orphaned', 'foreground', 'background']) {
      await ctx.kubectl.ok(['create', 'deployment', name, '--image=nginx', '-n', ns]);
    }
    const metadataOf = async (name: string) => JSON.parse(await ctx.kubectl.ok(['get', 'deployment', name, '-o', 'json', '-n', ns])).metadata;

    expect(await ctx.kubectl.ok(['delete', 'deployment', 'orphaned', '--cascade=orphan', '--wait=false', '-n', ns])).toBe('deployment.apps "orphaned" deleted\n');
    const orphaned = await metadataOf('orphaned');
    expect(orphaned.finalizers).toEqual(['orphan']);
    expect(orphaned.deletionTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(orphaned.deletionGracePeriodSeconds).toBe(0);

    expect(await ctx.kubectl.ok(['delete', 'deployment', 'foreground', '--cascade=foreground', '--wait=false', '-n', ns])).toBe('deployment.apps "foreground" deleted\n');
    expect((await metadataOf('foreground')).finalizers).toEqual(['foregroundDeletion']);
    // Deleting again changes nothing; removing the last finalizer completes the deletion.
    await ctx.kubectl.ok(['delete', 'deployment', 'foreground', '--wait=false', '-n', ns]);
    expect((await metadataOf('foreground')).finalizers).toEqual(['foregroundDeletion']);
    await ctx.kubectl.ok(['patch', 'deployment', 'foreground', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]', '-n', ns]);
    expect(await names(ns, 'deployments')).toEqual(['deployment.apps/background', 'deployment.apps/orphaned']);

    // Background (the default): gone now, and kubectl's wait for the deletion returns.
    expect(await ctx.kubectl.ok(['delete', 'deployment', 'background', '--cascade=background', '-n', ns])).toBe('deployment.apps "background" deleted\n');
    expect((await ctx.kubectl.run(['get', 'deployment', 'background', '-n', ns])).stderr).toBe('Error from server (NotFound): deployments.apps "background" not found\n');
  });

  it('checks delete preconditions sent as the request body', async () => {
    const ns = await ctx.namespace('delete-pre');
    await ctx.kubectl.ok(['create', 'configmap', 'guarded', '-n', ns]);
    const { uid, resourceVersion } = JSON.parse(await ctx.kubectl.ok(['get', 'configmap', 'guarded', '-o', 'json', '-n', ns])).metadata;
    const url = `/api/v1/namespaces/${ns}/configmaps/guarded`;
    const body = (preconditions: object) => {
      const file = path.join(ctx.kubectl.home, `${ns}-delete.json`);
      fs.writeFileSync(file, JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions }));
      return file;
    };
    const staleVersion = await ctx.kubectl.run(['delete', '--raw', url, '-f', body({ resourceVersion: '1' })]);
    expect(staleVersion.code).toBe(1);
    expect(staleVersion.stderr).toBe(
      `Error from server (Conflict): Operation cannot be fulfilled on ConfigMap "guarded": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (${resourceVersion}). The object might have been modified\n`,
    );
    const otherUid = await ctx.kubectl.run(['delete', '--raw', url, '-f', body({ uid: 'not-the-uid' })]);
    expect(otherUid.stderr).toBe(
      `Error from server (Conflict): Operation cannot be fulfilled on ConfigMap "guarded": the UID in the precondition (not-the-uid) does not match the UID in record (${uid}). The object might have been deleted and then recreated\n`,
    );
    const matching = JSON.parse(await ctx.kubectl.ok(['delete', '--raw', url, '-f', body({ uid, resourceVersion })]));
    expect(matching).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name: 'guarded', group: '', kind: 'configmaps', uid } });
    expect(await names(ns, 'configmaps')).toEqual([]);
  });

  it('prints the apiserver errors: not found, method not allowed, forbidden and invalid', async () => {
    const ns = await ctx.namespace('delete-errors');
    const missingNs = await ctx.kubectl.run(['create', '-f', '-'], { stdin: configMap('nowhere', 'c') });
    expect(missingNs.stderr).toBe('Error from server (NotFound): error when creating "STDIN": namespaces "nowhere" not found\n');
    expect((await ctx.kubectl.run(['get', 'deployment', 'nope', '-n', ns])).stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');

    // Bindings can only be created; component statuses only read.
    expect((await ctx.kubectl.run(['get', 'bindings', '-n', ns])).stderr).toBe('Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n');
    const componentStatus = JSON.stringify({ apiVersion: 'v1', kind: 'ComponentStatus', metadata: { name: 'etcd-9' } });
    expect((await ctx.kubectl.run(['create', '--validate=false', '-f', '-'], { stdin: componentStatus })).stderr).toBe(
      'Error from server (MethodNotAllowed): error when creating "STDIN": the server does not allow this method on the requested resource\n',
    );

    const invalidPod = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bad', namespace: ns },
      spec: { restartPolicy: 'Sometimes', containers: [{ name: 'Web' }] },
    });
    const invalid = await ctx.kubectl.run(['create', '-f', '-'], { stdin: invalidPod });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toBe(
      'The Pod "bad" is invalid: \n' +
        '* spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', ' +
        "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n" +
        '* spec.containers[0].image: Required value\n' +
        '* spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"\n',
    );
    const oneProblem = await ctx.kubectl.run(['create', 'deployment', 'Web', '--image=nginx', '-n', ns]);
    expect(oneProblem.stderr).toBe(
      'error: failed to create deployment: Deployment.apps "Web" is invalid: metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case ' +
        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n",
    );

    // A namespace being deleted takes no new objects (it stays Terminating: nothing empties it yet).
    const doomed = await ctx.namespace('delete-doomed');
    expect(await ctx.kubectl.ok(['delete', 'namespace', doomed, '--wait=false'])).toBe(`namespace "${doomed}" deleted\n`);
    expect(table(await ctx.kubectl.ok(['get', 'namespace', doomed]))[0]).toMatchObject({ NAME: doomed, STATUS: 'Terminating' });
    const forbidden = await ctx.kubectl.run(['create', '-f', '-'], { stdin: configMap(doomed, 'late') });
    expect(forbidden.stderr).toBe(
      `Error from server (Forbidden): error when creating "STDIN": configmaps "late" is forbidden: unable to create new content in namespace ${doomed} because it is being terminated\n`,
    );
  });
});
