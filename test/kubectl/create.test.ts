// kubectl 1.32 creating objects: `create -f` (files and directories), every `create <kind>`
// generator the tutorials use (kubectl 1.32 sends these as protobuf), `run` and `expose`.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeKubectl, headers, RECENT_AGE, table } from './suite.ts';

// A self-signed certificate for ngx.test and its key (P-256, valid until 2126), for `create
// secret tls`: kubectl checks that the pair matches before it sends anything.
const TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBfDCCASOgAwIBAgIUAjmziLxjM634KiY+Ke03XXgMmIIwCgYIKoZIzj0EAwIw
EzERMA8GA1UEAwwIbmd4LnRlc3QwIBcNMjYxMTIyMDAwOTMzWhgPMjEyNjEwMjkw
MDA5MzNaMBMxETAPBgNVBAMMCG5neC50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAERsaqClb1CdnweAoqZyPiyaPba1QWDhkqyB4EhgC9yoFszo1VERjs+Zod
BzinI9rSgJP1smbreo9ya6sFfZttw6NTMFEwHQYDVR0OBBYEFHEV2vD29gZdmgPZ
3R0FZsuSqKtVMB8GA1UdIwQYMBaAFHEV2vD29gZdmgPZ3R0FZsuSqKtVMA8GA1Ud
EwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgd+qjd9UUyAc0kiPPTe59tB6O
ouZVgcZPkHfANUEyk5cCIBfWr1eGDqjezVGryvjrWjH3oYRx9f4pdtxdUrjod03S
-----END CERTIFICATE-----
`;
const TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgKl+Lr77NZZHTjjTI
DBd8iU6U5fnESj9++zDW/5ww6iOhRANCAARGxqoKVvUJ2fB4CipnI+LJo9trVBYO
GSrIHgSGAL3KgWzOjVURGOz5mh0HOKcj2tKAk/WyZut6j3JrqwV9m23D
-----END PRIVATE KEY-----
`;

describeKubectl('kubectl 1.32 create', (ctx) => {
  const json = async (ns: string, ...args: string[]) => JSON.parse(await ctx.kubectl.ok(['get', ...args, '-o', 'json', '-n', ns]));

  it('creates from files and directories, and refuses to create twice', async () => {
    const ns = await ctx.namespace('create-files');
    const dir = fs.mkdtempSync(path.join(ctx.kubectl.home, 'manifests-'));
    fs.writeFileSync(path.join(dir, 'a.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: ${ns}\n`);
    fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'b', namespace: ns }, spec: { ports: [{ port: 80 }] } }));
    expect(await ctx.kubectl.ok(['create', '-f', dir])).toBe('configmap/a created\nservice/b created\n');
    const again = await ctx.kubectl.run(['create', '-f', path.join(dir, 'a.yaml')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`Error from server (AlreadyExists): error when creating "${path.join(dir, 'a.yaml')}": configmaps "a" already exists\n`);
    const service = await json(ns, 'service', 'b');
    expect(service.spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], sessionAffinity: 'None' });
  });

  it('creates namespaces, deployments, configmaps and secrets from generators', async () => {
    expect(await ctx.kubectl.ok(['create', 'namespace', 'gen-ns'])).toBe('namespace/gen-ns created\n');
    const namespace = JSON.parse(await ctx.kubectl.ok(['get', 'namespace', 'gen-ns', '-o', 'json']));
    expect(namespace.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'gen-ns' });
    expect(namespace.status).toEqual({ phase: 'Active' });
    const ns = 'gen-ns';

    const create = (...args: string[]) => ctx.kubectl.ok(['create', '-n', ns, ...args]);
    expect(await create('deployment', 'hello', '--image=registry.k8s.io/e2e-test-images/agnhost:2.39', '--', '/agnhost', 'netexec', '--http-port=8080')).toBe(
      'deployment.apps/hello created\n',
    );
    const hello = await json(ns, 'deployment', 'hello');
    expect(hello.spec.replicas).toBe(1);
    expect(hello.spec.template.spec.containers).toEqual([
      expect.objectContaining({ name: 'agnhost', image: 'registry.k8s.io/e2e-test-images/agnhost:2.39', command: ['/agnhost', 'netexec', '--http-port=8080'] }),
    ]);

    const file = path.join(ctx.kubectl.home, 'nginx.conf');
    fs.writeFileSync(file, 'server { listen 80; }\n');
    expect(await create('configmap', 'info', '--from-literal=count=10', '--from-literal=debug=on', `--from-file=${file}`, `--from-file=site=${file}`)).toBe('configmap/info created\n');
    expect((await json(ns, 'configmap', 'info')).data).toEqual({ count: '10', debug: 'on', 'nginx.conf': 'server { listen 80; }\n', site: 'server { listen 80; }\n' });
    expect(table(await ctx.kubectl.ok(['get', 'cm', 'info', '-n', ns]))[0]).toMatchObject({ NAME: 'info', DATA: '4' });

    expect(await create('secret', 'generic', 'user', '--from-literal=name=root', '--from-literal=pwd=123456')).toBe('secret/user created\n');
    expect(await create('secret', 'docker-registry', 'registry', '--docker-server=registry.example.com', '--docker-username=u', '--docker-password=p', '--docker-email=u@example.com')).toBe(
      'secret/registry created\n',
    );
    const certFile = path.join(ctx.kubectl.home, 'tls.crt');
    const keyFile = path.join(ctx.kubectl.home, 'tls.key');
    fs.writeFileSync(certFile, TLS_CERT);
    fs.writeFileSync(keyFile, TLS_KEY);
    expect(await create('secret', 'tls', 'site-tls', `--cert=${certFile}`, `--key=${keyFile}`)).toBe('secret/site-tls created\n');
    const siteTls = await json(ns, 'secret', 'site-tls');
    expect(siteTls.type).toBe('kubernetes.io/tls');
    expect(siteTls.data).toEqual({ 'tls.crt': Buffer.from(TLS_CERT).toString('base64'), 'tls.key': Buffer.from(TLS_KEY).toString('base64') });
    const mismatched = await ctx.kubectl.run(['create', 'secret', 'tls', 'broken', `--cert=${certFile}`, `--key=${certFile}`, '-n', ns]);
    expect(mismatched.code).toBe(1);
    expect(mismatched.stderr).toMatch(/^error: tls: /);

    const user = await json(ns, 'secret', 'user');
    expect(user.type).toBe('Opaque');
    expect(user.data).toEqual({ name: Buffer.from('root').toString('base64'), pwd: Buffer.from('123456').toString('base64') });
    const registry = await json(ns, 'secret', 'registry');
    expect(registry.type).toBe('kubernetes.io/dockerconfigjson');
    expect(JSON.parse(Buffer.from(registry.data['.dockerconfigjson'], 'base64').toString())).toEqual({
      auths: { 'registry.example.com': { username: 'u', password: 'p', email: 'u@example.com', auth: Buffer.from('u:p').toString('base64') } },
    });
    const secrets = table(await ctx.kubectl.ok(['get', 'secrets', '-n', ns]));
    expect(secrets.map((r) => [r.NAME, r.TYPE, r.DATA])).toEqual([
      ['registry', 'kubernetes.io/dockerconfigjson', '1'],
      ['site-tls', 'kubernetes.io/tls', '2'],
      ['user', 'Opaque', '2'],
    ]);
  });

  it('creates services of every type and service accounts', async () => {
    const ns = await ctx.namespace('create-svc');
    const create = (...args: string[]) => ctx.kubectl.ok(['create', '-n', ns, ...args]);
    expect(await create('service', 'clusterip', 'my-service', '--tcp=80:8080', '--tcp=443:8443')).toBe('service/my-service created\n');
    expect(await create('service', 'clusterip', 'headless', '--clusterip=None')).toBe('service/headless created\n');
    expect(await create('service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080')).toBe('service/np created\n');
    expect(await create('service', 'loadbalancer', 'lb', '--tcp=8080:8080')).toBe('service/lb created\n');
    expect(await create('service', 'externalname', 'ext', '--external-name=example.com')).toBe('service/ext created\n');
    const rows = new Map(table(await ctx.kubectl.ok(['get', 'services', '-o', 'wide', '-n', ns])).map((r) => [r.NAME, r]));
    expect(rows.get('my-service')).toMatchObject({ TYPE: 'ClusterIP', 'EXTERNAL-IP': '<none>', 'PORT(S)': '80/TCP,443/TCP', SELECTOR: 'app=my-service' });
    expect(rows.get('my-service')!['CLUSTER-IP']).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(rows.get('headless')).toMatchObject({ TYPE: 'ClusterIP', 'CLUSTER-IP': 'None', 'PORT(S)': '<none>' });
    expect(rows.get('np')).toMatchObject({ TYPE: 'NodePort', 'EXTERNAL-IP': '<none>', 'PORT(S)': '80:30080/TCP' });
    expect(rows.get('lb')).toMatchObject({ TYPE: 'LoadBalancer', 'EXTERNAL-IP': '<pending>' });
    expect(rows.get('lb')!['PORT(S)']).toMatch(/^8080:3\d{4}\/TCP$/);
    expect(rows.get('ext')).toMatchObject({ TYPE: 'ExternalName', 'CLUSTER-IP': '<none>', 'EXTERNAL-IP': 'example.com', 'PORT(S)': '<none>' });
    expect((await json(ns, 'service', 'my-service')).spec.ports).toEqual([
      { name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 },
      { name: '443-8443', port: 443, protocol: 'TCP', targetPort: 8443 },
    ]);

    const taken = await ctx.kubectl.run(['create', 'service', 'nodeport', 'np2', '--tcp=80:8080', '--node-port=30080', '-n', ns]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe('error: failed to create NodePort service: Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated\n');

    expect(await create('serviceaccount', 'builder')).toBe('serviceaccount/builder created\n');
    expect(table(await ctx.kubectl.ok(['get', 'sa', 'builder', '-n', ns]))[0]).toMatchObject({ NAME: 'builder', SECRETS: '0' });
  });

  it('creates jobs with a generated selector, cron jobs and ingresses', async () => {
    const ns = await ctx.namespace('create-batch');
    const create = (...args: string[]) => ctx.kubectl.ok(['create', '-n', ns, ...args]);
    expect(await create('job', 'echo-job', '--image=busybox', '--', 'echo', 'hello world')).toBe('job.batch/echo-job created\n');
    const job = await json(ns, 'job', 'echo-job');
    const uid = job.metadata.uid;
    const generated = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'echo-job', 'controller-uid': uid, 'job-name': 'echo-job' };
    expect(job.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    expect(job.spec.template.metadata.labels).toEqual(generated);
    expect(job.metadata.labels).toEqual(generated);
    expect(job.spec).toMatchObject({ backoffLimit: 6, completions: 1, parallelism: 1, completionMode: 'NonIndexed', suspend: false, manualSelector: false });
    expect(job.spec.template.spec).toMatchObject({ restartPolicy: 'Never', containers: [expect.objectContaining({ command: ['echo', 'hello world'] })] });
    const jobs = await ctx.kubectl.ok(['get', 'jobs', '-o', 'wide', '-n', ns]);
    expect(headers(jobs)).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(table(jobs)[0]).toMatchObject({ NAME: 'echo-job', STATUS: 'Running', COMPLETIONS: '0/1', DURATION: '', CONTAINERS: 'echo-job', IMAGES: 'busybox', SELECTOR: `batch.kubernetes.io/controller-uid=${uid}` });
    // Pods of the job are selectable by its name.
    expect(await ctx.kubectl.ok(['get', 'jobs', '-l', 'job-name=echo-job', '-o', 'name', '-n', ns])).toBe('job.batch/echo-job\n');

    expect(await create('cronjob', 'echo-cj', '--image=busybox', '--schedule=*/1 * * * *', '--', 'echo', 'hello')).toBe('cronjob.batch/echo-cj created\n');
    const cronJobs = table(await ctx.kubectl.ok(['get', 'cj', '-n', ns]));
    expect(cronJobs[0]).toMatchObject({ NAME: 'echo-cj', SCHEDULE: '*/1 * * * *', TIMEZONE: '<none>', SUSPEND: 'False', ACTIVE: '0', 'LAST SCHEDULE': '<none>' });
    const badSchedule = await ctx.kubectl.run(['create', 'cronjob', 'bad', '--image=busybox', '--schedule=every minute', '-n', ns]);
    expect(badSchedule.stderr).toMatch(/^error: failed to create cronjob: CronJob\.batch "bad" is invalid: spec\.schedule: Invalid value: "every minute": /);

    expect(await create('ingress', 'ngx-ing', '--rule=ngx.test/=ngx-svc:80', '--class=ngx-ink')).toBe('ingress.networking.k8s.io/ngx-ing created\n');
    expect((await json(ns, 'ingress', 'ngx-ing')).spec).toEqual({
      ingressClassName: 'ngx-ink',
      rules: [{ host: 'ngx.test', http: { paths: [{ path: '/', pathType: 'Exact', backend: { service: { name: 'ngx-svc', port: { number: 80 } } } }] } }],
    });
    expect(table(await ctx.kubectl.ok(['get', 'ing', '-n', ns]))[0]).toMatchObject({ NAME: 'ngx-ing', CLASS: 'ngx-ink', HOSTS: 'ngx.test', ADDRESS: '', PORTS: '80' });
  });

  it('creates budgets, priority classes, quotas and RBAC objects', async () => {
    const ns = await ctx.namespace('create-policy');
    const create = (...args: string[]) => ctx.kubectl.ok(['create', '-n', ns, ...args]);
    expect(await create('pdb', 'web-pdb', '--selector=app=web', '--min-available=1')).toBe('poddisruptionbudget.policy/web-pdb created\n');
    expect(table(await ctx.kubectl.ok(['get', 'pdb', '-n', ns]))[0]).toMatchObject({ NAME: 'web-pdb', 'MIN AVAILABLE': '1', 'MAX UNAVAILABLE': 'N/A', 'ALLOWED DISRUPTIONS': '0' });

    expect(await ctx.kubectl.ok(['create', 'priorityclass', 'batch-low', '--value=100', '--description=batch work'])).toBe('priorityclass.scheduling.k8s.io/batch-low created\n');
    const priorityClass = JSON.parse(await ctx.kubectl.ok(['get', 'priorityclass', 'batch-low', '-o', 'json']));
    expect(priorityClass).toMatchObject({ value: 100, description: 'batch work', preemptionPolicy: 'PreemptLowerPriority' });
    // The apiserver brings the two system classes; only they may go above one billion.
    const classes = table(await ctx.kubectl.ok(['get', 'priorityclasses']));
    expect(classes.map((r) => [r.NAME, r.VALUE, r['GLOBAL-DEFAULT'], r.PREEMPTIONPOLICY])).toEqual([
      ['batch-low', '100', 'false', 'PreemptLowerPriority'],
      ['system-cluster-critical', '2000000000', 'false', 'PreemptLowerPriority'],
      ['system-node-critical', '2000001000', 'false', 'PreemptLowerPriority'],
    ]);
    const reserved = await ctx.kubectl.run(['create', 'priorityclass', 'system-custom', '--value=10']);
    expect(reserved.stderr).toBe(
      'error: failed to create priorityclass: PriorityClass.scheduling.k8s.io "system-custom" is invalid: metadata.name: Forbidden: ' +
        "priority class names with 'system-' prefix are reserved for system use only. error: system-custom is not a known system priority class\n",
    );

    expect(await create('quota', 'dev-qt', '--hard=pods=10,count/deployments.apps=1,requests.cpu=1')).toBe('resourcequota/dev-qt created\n');
    expect((await json(ns, 'quota', 'dev-qt')).spec).toEqual({ hard: { pods: '10', 'count/deployments.apps': '1', 'requests.cpu': '1' } });
    expect(headers(await ctx.kubectl.ok(['get', 'quota', '-n', ns]))).toEqual(['NAME', 'REQUEST', 'LIMIT', 'AGE']);

    expect(await create('role', 'pod-reader', '--verb=get,list', '--resource=pods')).toBe('role.rbac.authorization.k8s.io/pod-reader created\n');
    expect((await json(ns, 'role', 'pod-reader')).rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]);
    expect(await ctx.kubectl.ok(['create', 'clusterrole', 'node-reader', '--verb=get', '--resource=nodes'])).toBe('clusterrole.rbac.authorization.k8s.io/node-reader created\n');
    expect(await create('rolebinding', 'read-pods', '--role=pod-reader', '--user=bob', '--serviceaccount=' + ns + ':builder')).toBe(
      'rolebinding.rbac.authorization.k8s.io/read-pods created\n',
    );
    expect(await ctx.kubectl.ok(['create', 'clusterrolebinding', 'read-nodes', '--clusterrole=node-reader', '--group=devs'])).toBe(
      'clusterrolebinding.rbac.authorization.k8s.io/read-nodes created\n',
    );
    expect(table(await ctx.kubectl.ok(['get', 'rolebinding', 'read-pods', '-o', 'wide', '-n', ns]))[0]).toMatchObject({
      NAME: 'read-pods',
      ROLE: 'Role/pod-reader',
      USERS: 'bob',
      GROUPS: '',
      SERVICEACCOUNTS: `${ns}/builder`,
    });
    expect(table(await ctx.kubectl.ok(['get', 'clusterrolebinding', 'read-nodes', '-o', 'wide']))[0]).toMatchObject({ ROLE: 'ClusterRole/node-reader', GROUPS: 'devs' });
    // Roles have no printer of their own: the server's default columns.
    expect(headers(await ctx.kubectl.ok(['get', 'roles', '-n', ns]))).toEqual(['NAME', 'CREATED AT']);
    expect(table(await ctx.kubectl.ok(['get', 'roles', '-n', ns]))[0]!['CREATED AT']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('runs pods (and dry-runs them on the server) and exposes deployments and pods', async () => {
    const ns = await ctx.namespace('create-run');
    const dryRun = await ctx.kubectl.ok(['run', 'ngx', '--image=nginx:alpine', '--dry-run=server', '-o', 'yaml', '-n', ns]);
    expect(dryRun).toMatch(/^apiVersion: v1\nkind: Pod\nmetadata:\n {2}creationTimestamp: "[^"]+"\n {2}labels:\n {4}run: ngx\n {2}name: ngx\n/);
    expect(dryRun).toContain('\n  - image: nginx:alpine\n    imagePullPolicy: IfNotPresent\n    name: ngx\n');
    expect(dryRun).toContain('\n  restartPolicy: Always\n');
    expect(dryRun).toContain('\nstatus:\n  phase: Pending\n  qosClass: BestEffort\n');
    expect(dryRun).not.toContain('resourceVersion');
    expect((await ctx.kubectl.run(['get', 'pod', 'ngx', '-n', ns])).stderr).toBe('Error from server (NotFound): pods "ngx" not found\n');

    expect(await ctx.kubectl.ok(['run', 'nginx-pod', '--image=nginx:latest', '--port=80', '-n', ns])).toBe('pod/nginx-pod created\n');
    const pods = await ctx.kubectl.ok(['get', 'pods', '-o', 'wide', '-n', ns]);
    expect(headers(pods)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(table(pods)[0]).toMatchObject({ NAME: 'nginx-pod', READY: '0/1', STATUS: 'Pending', RESTARTS: '0', IP: '<none>', NODE: '<none>', 'NOMINATED NODE': '<none>', 'READINESS GATES': '<none>' });
    expect(table(pods)[0]!.AGE).toMatch(RECENT_AGE);
    expect(await ctx.kubectl.ok(['run', 'test', '--image=busybox:1.36', '--restart=Never', '-n', ns, '--', '/bin/sh', '-c', 'sleep 3600'])).toBe('pod/test created\n');
    expect((await json(ns, 'pod', 'test')).spec).toMatchObject({ restartPolicy: 'Never', containers: [expect.objectContaining({ args: ['/bin/sh', '-c', 'sleep 3600'] })] });

    expect(await ctx.kubectl.ok(['expose', 'pod', 'nginx-pod', '--name=nginx-svc', '--port=80', '--target-port=80', '-n', ns])).toBe('service/nginx-svc exposed\n');
    expect((await json(ns, 'service', 'nginx-svc')).spec).toMatchObject({ selector: { run: 'nginx-pod' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], type: 'ClusterIP' });

    await ctx.kubectl.ok(['create', 'deployment', 'hello-node', '--image=registry.k8s.io/e2e-test-images/agnhost:2.39', '-n', ns]);
    expect(await ctx.kubectl.ok(['expose', 'deployment', 'hello-node', '--type=LoadBalancer', '--port=8080', '-n', ns])).toBe('service/hello-node exposed\n');
    const exposed = table(await ctx.kubectl.ok(['get', 'service', 'hello-node', '-n', ns]))[0]!;
    expect(exposed).toMatchObject({ TYPE: 'LoadBalancer', 'EXTERNAL-IP': '<pending>' });
    expect(exposed['PORT(S)']).toMatch(/^8080:3\d{4}\/TCP$/);
    expect((await json(ns, 'service', 'hello-node')).spec.selector).toEqual({ app: 'hello-node' });

    await ctx.kubectl.ok(['create', 'configmap', 'settings', '-n', ns]);
    const notExposable = await ctx.kubectl.run(['expose', 'configmap', 'settings', '--port=80', '-n', ns]);
    expect(notExposable.code).toBe(1);
    expect(notExposable.stderr).toBe('error: cannot expose a ConfigMap\n');
  });
});
