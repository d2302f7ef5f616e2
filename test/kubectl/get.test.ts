// kubectl 1.32 reading the cluster: every `get` output format and selector, paging, sorting,
// watches, and the discovery-driven commands (api-resources, api-versions, explain, version).
import { expect, it } from 'vitest';
import { describeKubectl, headers, RECENT_AGE, table } from './suite.ts';

const configMap = (ns: string, name: string, labels: Record<string, string>, data: Record<string, string>) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${ns}
  labels: ${JSON.stringify(labels)}
data: ${JSON.stringify(data)}
`;

describeKubectl('kubectl 1.32 get', (ctx) => {
  /** Three ConfigMaps with labels and data to select and sort on. */
  async function threeConfigMaps(ns: string): Promise<void> {
    const manifests = [
      configMap(ns, 'alpha', { tier: 'fe', rank: 'b' }, { size: '2', colour: 'red' }),
      configMap(ns, 'beta', { tier: 'be', rank: 'c' }, { size: '1' }),
      configMap(ns, 'gamma', { tier: 'db', rank: 'a' }, { size: '3', colour: 'blue', shape: 'round' }),
    ];
    await ctx.kubectl.ok(['apply', '-f', '-'], { stdin: manifests.join('---\n') });
  }

  it('prints the server-side Table: wide columns, labels, label columns, names and the plain form', async () => {
    const ns = await ctx.namespace('get-table');
    await ctx.kubectl.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '-n', ns]);
    const wide = await ctx.kubectl.ok(['get', 'deployment', 'web', '-o', 'wide', '-n', ns]);
    expect(headers(wide)).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(table(wide)[0]).toMatchObject({ NAME: 'web', READY: '0/2', 'UP-TO-DATE': '0', AVAILABLE: '0', CONTAINERS: 'nginx', IMAGES: 'nginx:1.27', SELECTOR: 'app=web' });
    expect(table(wide)[0]!.AGE).toMatch(RECENT_AGE);

    await threeConfigMaps(ns);
    const plain = await ctx.kubectl.ok(['get', 'configmaps', '-n', ns]);
    expect(headers(plain)).toEqual(['NAME', 'DATA', 'AGE']);
    expect(table(plain).map((r) => [r.NAME, r.DATA])).toEqual([['alpha', '2'], ['beta', '1'], ['gamma', '3']]);

    const labelled = table(await ctx.kubectl.ok(['get', 'configmaps', '--show-labels', '-n', ns]));
    expect(labelled.map((r) => r.LABELS)).toEqual(['rank=b,tier=fe', 'rank=c,tier=be', 'rank=a,tier=db']);
    const labelColumns = await ctx.kubectl.ok(['get', 'configmaps', '-L', 'tier', '-L', 'missing', '-n', ns]);
    expect(headers(labelColumns)).toEqual(['NAME', 'DATA', 'AGE', 'TIER', 'MISSING']);
    expect(table(labelColumns).map((r) => [r.NAME, r.TIER, r.MISSING])).toEqual([['alpha', 'fe', ''], ['beta', 'be', ''], ['gamma', 'db', '']]);

    expect(await ctx.kubectl.ok(['get', 'configmaps', '-o', 'name', '-n', ns])).toBe('configmap/alpha\nconfigmap/beta\nconfigmap/gamma\n');
    // Without the Table the server sends plain objects and kubectl can only show names and ages.
    const clientSide = await ctx.kubectl.ok(['get', 'configmaps', '--server-print=false', '-n', ns]);
    expect(headers(clientSide)).toEqual(['NAME', 'AGE']);
    expect(table(clientSide).map((r) => r.NAME)).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('prints objects and lists as YAML, JSON, JSONPath and custom columns', async () => {
    const ns = await ctx.namespace('get-formats');
    await threeConfigMaps(ns);
    const yaml = await ctx.kubectl.ok(['get', 'configmap', 'beta', '-o', 'yaml', '-n', ns]);
    expect(yaml).toMatch(/^apiVersion: v1\ndata:\n {2}size: "1"\nkind: ConfigMap\nmetadata:\n/);
    expect(yaml).toContain(`  name: beta\n  namespace: ${ns}\n  resourceVersion: "`);
    expect(yaml).not.toContain('managedFields');
    expect(await ctx.kubectl.ok(['get', 'configmap', 'beta', '-o', 'yaml', '--show-managed-fields', '-n', ns])).toContain('    manager: kubectl-client-side-apply\n    operation: Update\n');

    const list = JSON.parse(await ctx.kubectl.ok(['get', 'configmaps', '-o', 'json', '-n', ns]));
    expect(list.kind).toBe('List');
    expect(list.items.map((i: { kind: string; metadata: { name: string } }) => `${i.kind}/${i.metadata.name}`)).toEqual([
      'ConfigMap/alpha',
      'ConfigMap/beta',
      'ConfigMap/gamma',
    ]);

    const jsonpath = await ctx.kubectl.ok(['get', 'configmaps', '-n', ns, '-o', 'jsonpath={range .items[*]}{.metadata.name}={.data.size}{"\\n"}{end}']);
    expect(jsonpath).toBe('alpha=2\nbeta=1\ngamma=3\n');
    const columns = await ctx.kubectl.ok(['get', 'configmaps', '-n', ns, '-o', 'custom-columns=NAME:.metadata.name,COLOUR:.data.colour,TIER:.metadata.labels.tier']);
    expect(table(columns)).toEqual([
      { NAME: 'alpha', COLOUR: 'red', TIER: 'fe' },
      { NAME: 'beta', COLOUR: '<none>', TIER: 'be' },
      { NAME: 'gamma', COLOUR: 'blue', TIER: 'db' },
    ]);
  });

  it('selects by label and by field, and reports selectors the server cannot use', async () => {
    const ns = await ctx.namespace('get-select');
    await threeConfigMaps(ns);
    const names = async (...args: string[]) => (await ctx.kubectl.ok(['get', 'configmaps', '-o', 'name', '-n', ns, ...args])).trim().split('\n');
    expect(await names('-l', 'tier=fe')).toEqual(['configmap/alpha']);
    expect(await names('-l', 'tier in (fe,db)')).toEqual(['configmap/alpha', 'configmap/gamma']);
    expect(await names('-l', 'tier!=fe,rank')).toEqual(['configmap/beta', 'configmap/gamma']);
    expect(await names('--field-selector', 'metadata.name=beta')).toEqual(['configmap/beta']);
    expect(await names('--field-selector', 'metadata.name!=beta')).toEqual(['configmap/alpha', 'configmap/gamma']);

    const none = await ctx.kubectl.run(['get', 'configmaps', '-l', 'tier=nope', '-n', ns]);
    expect(none).toMatchObject({ code: 0, stdout: '' });
    expect(none.stderr).toBe(`No resources found in ${ns} namespace.\n`);

    const unknownField = await ctx.kubectl.run(['get', 'configmaps', '--field-selector', 'data.size=1', '-n', ns]);
    expect(unknownField.code).toBe(1);
    expect(unknownField.stderr).toBe(
      'Error from server (BadRequest): Unable to find "/v1, Resource=configmaps" that match label selector "", field selector "data.size=1": ' +
        '"data.size" is not a known field selector: only "metadata.name", "metadata.namespace"\n',
    );
    const podField = await ctx.kubectl.run(['get', 'pods', '--field-selector', 'spec.bogus=x', '-n', ns]);
    expect(podField.stderr).toBe(
      'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.bogus=x": field label not supported: spec.bogus\n',
    );
    // Pods do support the fields drain and describe node select on.
    expect((await ctx.kubectl.run(['get', 'pods', '--field-selector', 'spec.nodeName=node-1,status.phase!=Succeeded', '-n', ns])).stderr).toBe(
      `No resources found in ${ns} namespace.\n`,
    );
    const badLabels = await ctx.kubectl.run(['get', 'configmaps', '-l', 'tier in fe', '-n', ns]);
    expect(badLabels.stderr).toMatch(/^Error from server \(BadRequest\): Unable to find "\/v1, Resource=configmaps" that match label selector "tier in fe", field selector "": unable to parse requirement: /);
  });

  it('lists across namespaces with a NAMESPACE column, and several kinds at once', async () => {
    const first = await ctx.namespace('get-all-ns');
    const second = await ctx.namespace('get-all-ns');
    await ctx.kubectl.ok(['create', 'configmap', 'shared', '-n', first]);
    await ctx.kubectl.ok(['create', 'configmap', 'shared', '-n', second]);
    const all = table(await ctx.kubectl.ok(['get', 'configmaps', '-A', '--field-selector', 'metadata.name=shared']));
    expect(all.map((r) => [r.NAMESPACE, r.NAME, r.DATA])).toEqual([
      [first, 'shared', '0'],
      [second, 'shared', '0'],
    ]);

    await ctx.kubectl.ok(['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '-n', first]);
    const mixed = await ctx.kubectl.ok(['get', 'configmaps,services', '-n', first]);
    const [configMaps, services] = mixed.split('\n\n');
    expect(table(configMaps!).map((r) => r.NAME)).toEqual(['configmap/shared']);
    expect(headers(services!)).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(table(services!)[0]).toMatchObject({ NAME: 'service/web', TYPE: 'ClusterIP', 'EXTERNAL-IP': '<none>', 'PORT(S)': '80/TCP' });

    // `get all` asks for every resource in the "all" category.
    await ctx.kubectl.ok(['create', 'deployment', 'web', '--image=nginx', '-n', first]);
    await ctx.kubectl.ok(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '-n', first]);
    await ctx.kubectl.ok(['create', 'job', 'once', '--image=busybox', '-n', first]);
    const sections = (await ctx.kubectl.ok(['get', 'all', '-n', first])).split('\n\n').map((section) => table(section).map((r) => r.NAME));
    expect(sections).toEqual([['service/web'], ['deployment.apps/web'], ['cronjob.batch/tick'], ['job.batch/once']]);
  });

  it('sorts by any field and pages through a list in chunks', async () => {
    const ns = await ctx.namespace('get-pages');
    await threeConfigMaps(ns);
    const byRank = table(await ctx.kubectl.ok(['get', 'configmaps', '--sort-by=.metadata.labels.rank', '-n', ns]));
    expect(byRank.map((r) => r.NAME)).toEqual(['gamma', 'alpha', 'beta']);
    const bySize = await ctx.kubectl.ok(['get', 'configmaps', '--sort-by=.data.size', '-o', 'name', '-n', ns]);
    expect(bySize).toBe('configmap/beta\nconfigmap/alpha\nconfigmap/gamma\n');

    const paged = await ctx.kubectl.run(['get', 'configmaps', '--chunk-size=1', '-n', ns, '-v=6']);
    expect(table(paged.stdout).map((r) => r.NAME)).toEqual(['alpha', 'beta', 'gamma']);
    const requests = paged.stderr.split('\n').filter((line) => / GET \S+\/configmaps\?/.test(line));
    expect(requests).toHaveLength(3);
    expect(requests.filter((line) => /[?&]continue=[^&\s]+&limit=1 200 OK/.test(line))).toHaveLength(2);
  });

  it('watches a list: rows, watch events and names as objects are created, changed and deleted', async () => {
    const ns = await ctx.namespace('get-watch');
    await ctx.kubectl.ok(['create', 'configmap', 'before', '--from-literal=a=1', '-n', ns]);
    const rows = ctx.kubectl.start(['get', 'configmaps', '-w', '-n', ns]);
    const events = ctx.kubectl.start(['get', 'configmaps', '-w', '--output-watch-events', '-n', ns]);
    // -v=6 logs the watch request once it is answered: --watch-only prints nothing before.
    const names = ctx.kubectl.start(['get', 'configmaps', '--watch-only', '-o', 'name', '-n', ns, '-v=6']);
    try {
      await rows.waitFor((out) => out.includes('before'));
      await events.waitFor((out) => out.includes('before'));
      await names.waitFor((_, log) => /[?&]watch=true 200 OK/.test(log));
      await ctx.kubectl.ok(['create', 'configmap', 'during', '-n', ns]);
      await ctx.kubectl.ok(['patch', 'configmap', 'during', '--type=merge', '-p', '{"data":{"b":"2","c":"3"}}', '-n', ns]);
      await ctx.kubectl.ok(['delete', 'configmap', 'during', '-n', ns]);
      await events.waitFor((out) => out.includes('DELETED'));
      await rows.waitFor((out) => table(out).length === 4);
      await names.waitFor((out) => out.split('\n').length > 3);
    } finally {
      await Promise.all([rows.stop(), events.stop(), names.stop()]);
    }
    expect(table(rows.output()).map((r) => [r.NAME, r.DATA])).toEqual([['before', '1'], ['during', '0'], ['during', '2'], ['during', '2']]);
    expect(headers(events.output())).toEqual(['EVENT', 'NAME', 'DATA', 'AGE']);
    expect(table(events.output()).map((r) => [r.EVENT, r.NAME, r.DATA])).toEqual([
      ['ADDED', 'before', '1'],
      ['ADDED', 'during', '0'],
      ['MODIFIED', 'during', '2'],
      ['DELETED', 'during', '2'],
    ]);
    expect(names.output()).toBe('configmap/during\nconfigmap/during\nconfigmap/during\n');
  });

  it('lists the API: api-resources, api-versions and version', async () => {
    const resources = await ctx.kubectl.ok(['api-resources', '-o', 'wide']);
    expect(headers(resources)).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', 'VERBS', 'CATEGORIES']);
    const byName = new Map(table(resources).map((r) => [r.NAME, r]));
    expect(byName.get('pods')).toEqual({
      NAME: 'pods',
      SHORTNAMES: 'po',
      APIVERSION: 'v1',
      NAMESPACED: 'true',
      KIND: 'Pod',
      VERBS: 'create,delete,deletecollection,get,list,patch,update,watch',
      CATEGORIES: 'all',
    });
    expect(byName.get('namespaces')).toMatchObject({ SHORTNAMES: 'ns', NAMESPACED: 'false', VERBS: 'create,delete,get,list,patch,update,watch', CATEGORIES: '' });
    expect(byName.get('customresourcedefinitions')).toMatchObject({ SHORTNAMES: 'crd,crds', APIVERSION: 'apiextensions.k8s.io/v1', NAMESPACED: 'false' });
    expect(byName.get('horizontalpodautoscalers')).toMatchObject({ SHORTNAMES: 'hpa', APIVERSION: 'autoscaling/v2', CATEGORIES: 'all' });

    expect(await ctx.kubectl.ok(['api-resources', '--api-group=apps', '-o', 'name'])).toBe(
      'controllerrevisions.apps\ndaemonsets.apps\ndeployments.apps\nreplicasets.apps\nstatefulsets.apps\n',
    );
    const clusterScoped = table(await ctx.kubectl.ok(['api-resources', '--namespaced=false']));
    expect(clusterScoped.every((r) => r.NAMESPACED === 'false')).toBe(true);
    expect(clusterScoped.map((r) => r.NAME)).toEqual(expect.arrayContaining(['namespaces', 'nodes', 'persistentvolumes', 'clusterroles', 'storageclasses']));
    expect(clusterScoped.map((r) => r.NAME)).not.toContain('pods');

    const versions = (await ctx.kubectl.ok(['api-versions'])).trim().split('\n');
    expect(versions).toEqual([...versions].sort());
    expect(versions).toEqual(expect.arrayContaining(['apps/v1', 'autoscaling/v1', 'autoscaling/v2', 'batch/v1', 'networking.k8s.io/v1', 'policy/v1', 'rbac.authorization.k8s.io/v1', 'v1']));

    const version = await ctx.kubectl.ok(['version']);
    expect(version).toMatch(/^Client Version: v1\.32\.\d+\nKustomize Version: v\S+\nServer Version: v1\.32\.\d+\S*\n$/);
    const server = JSON.parse(await ctx.kubectl.ok(['version', '-o', 'json'])).serverVersion;
    expect(server).toMatchObject({ major: '1', minor: '32', platform: 'linux/amd64', gitTreeState: 'clean' });
  });

  it('explains fields from the OpenAPI v3 schemas', async () => {
    const containers = await ctx.kubectl.ok(['explain', 'pods.spec.containers']);
    expect(containers).toMatch(/^KIND: {7}Pod\nVERSION: {4}v1\n\nFIELD: containers <\[\]Container>\n/);
    expect(containers).toContain('\nFIELDS:\n');
    expect(containers).toMatch(/^ {2}image\t<string>$/m);
    expect(containers).toMatch(/^ {2}name\t<string> -required-$/m);
    expect(containers).toMatch(/^ {2}ports\t<\[\]ContainerPort>$/m);
    expect(containers).toMatch(/^ {2}imagePullPolicy\t<string>\n {2}enum: Always, IfNotPresent, Never$/m);

    const recursive = await ctx.kubectl.ok(['explain', 'deployment', '--recursive']);
    expect(recursive).toMatch(/^GROUP: {6}apps\nKIND: {7}Deployment\nVERSION: {4}v1\n/);
    expect(recursive).toMatch(/^ {2}spec\t<DeploymentSpec>\n {4}minReadySeconds\t<integer>\n/m);
    expect(recursive).toMatch(/^ {4}selector\t<LabelSelector> -required-$/m);
    expect(recursive).toMatch(/^ {4}strategy\t<DeploymentStrategy>\n {6}rollingUpdate\t<RollingUpdateDeployment>\n {8}maxSurge\t<IntOrString>\n {8}maxUnavailable\t<IntOrString>\n {6}type\t<string>\n {6}enum: Recreate, RollingUpdate$/m);

    const missing = await ctx.kubectl.run(['explain', 'pods.spec.nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error: field "nope" does not exist\n');
  });
});
