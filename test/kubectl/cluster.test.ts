// kubectl 1.32 on cluster-wide matters that need no running node: who am I and what may I do,
// nodes (registered from a manifest) cordoned, drained and uncordoned, events, describe, wait
// and cluster-info.
import { expect, it } from 'vitest';
import { describeKubectl, headers, table } from './suite.ts';

/** A Node as a kubelet would register it, Ready, with an address and node info. */
function node(name: string): string {
  const heartbeat = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'node-role.kubernetes.io/control-plane': '' } },
    spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
    status: {
      capacity: { cpu: '2', memory: '4Gi', pods: '110' },
      allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: heartbeat, lastTransitionTime: heartbeat },
      ],
      addresses: [
        { type: 'InternalIP', address: '192.168.56.3' },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        machineID: 'm',
        systemUUID: 's',
        bootID: 'b',
        kernelVersion: '6.8.0',
        osImage: 'Ubuntu 24.04 LTS',
        containerRuntimeVersion: 'docker://27.3.1',
        kubeletVersion: 'v1.32.0',
        kubeProxyVersion: 'v1.32.0',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  });
}

/** A pod the scheduler has put on `nodeName` (nothing runs it: it stays Pending). */
function boundPod(ns: string, name: string, nodeName: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      nodeName,
      containers: [
        {
          name: 'nginx',
          image: 'nginx:alpine',
          ports: [{ containerPort: 80 }],
          env: [{ name: 'GREETING', value: 'hello' }],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
        },
      ],
    },
  });
}

function event(ns: string, name: string, involved: { kind: string; name: string; uid?: string }, reason: string, message: string, secondsAgo: number): string {
  const at = new Date(Date.now() - secondsAgo * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: ns },
    involvedObject: { apiVersion: 'v1', namespace: ns, ...involved },
    reason,
    message,
    type: reason === 'BackOff' ? 'Warning' : 'Normal',
    source: { component: 'default-scheduler' },
    firstTimestamp: at,
    lastTimestamp: at,
    count: 1,
  });
}

describeKubectl('kubectl 1.32 cluster', (ctx) => {
  it('says who the user is and what it may do', async () => {
    const whoami = await ctx.kubectl.ok(['auth', 'whoami']);
    expect(headers(whoami)).toEqual(['ATTRIBUTE', 'VALUE']);
    // Over plain http kubectl sends no credentials: the insecure port's user, with every right.
    expect(table(whoami)).toEqual([
      { ATTRIBUTE: 'Username', VALUE: 'system:unsecured' },
      { ATTRIBUTE: 'Groups', VALUE: '[system:masters system:authenticated]' },
    ]);
    expect(await ctx.kubectl.ok(['auth', 'can-i', 'create', 'pods'])).toBe('yes\n');
    expect(await ctx.kubectl.ok(['auth', 'can-i', 'list', 'deployments.apps', '-n', 'kube-system'])).toBe('yes\n');
    expect(await ctx.kubectl.ok(['auth', 'can-i', '*', '*'])).toBe('yes\n');
  });

  it('cordons, drains and uncordons a node registered from a manifest', async () => {
    expect(await ctx.kubectl.ok(['create', '-f', '-'], { stdin: node('master') })).toBe('node/master created\n');
    const wide = table(await ctx.kubectl.ok(['get', 'nodes', '-o', 'wide']));
    expect(wide.find((row) => row.NAME === 'master')).toMatchObject({
      NAME: 'master',
      STATUS: 'Ready',
      ROLES: 'control-plane',
      VERSION: 'v1.32.0',
      'INTERNAL-IP': '192.168.56.3',
      'EXTERNAL-IP': '<none>',
      'OS-IMAGE': 'Ubuntu 24.04 LTS',
      'KERNEL-VERSION': '6.8.0',
      'CONTAINER-RUNTIME': 'docker://27.3.1',
    });

    expect(await ctx.kubectl.ok(['cordon', 'master'])).toBe('node/master cordoned\n');
    expect(await ctx.kubectl.ok(['cordon', 'master'])).toBe('node/master already cordoned\n');
    expect(table(await ctx.kubectl.ok(['get', 'node', 'master']))[0]!.STATUS).toBe('Ready,SchedulingDisabled');
    expect(await ctx.kubectl.ok(['uncordon', 'master'])).toBe('node/master uncordoned\n');
    expect(table(await ctx.kubectl.ok(['get', 'node', 'master']))[0]!.STATUS).toBe('Ready');
    expect(JSON.parse(await ctx.kubectl.ok(['get', 'node', 'master', '-o', 'json'])).spec.unschedulable).toBeUndefined();

    // drain evicts what runs on the node; a bare pod (no controller) needs --force.
    const ns = await ctx.namespace('cluster-drain');
    await ctx.kubectl.ok(['create', '-f', '-'], { stdin: boundPod(ns, 'bare', 'master') });
    const refused = await ctx.kubectl.run(['drain', 'master']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('node/master cordoned\n');
    expect(refused.stderr).toContain(`cannot delete Pods that declare no controller (use --force to override): ${ns}/bare`);
    const drained = await ctx.kubectl.run(['drain', 'master', '--force', '--grace-period=0']);
    expect(drained.stdout).toBe(`node/master already cordoned\nevicting pod ${ns}/bare\npod/bare evicted\nnode/master drained\n`);
    expect(drained.stderr).toBe(`Warning: deleting Pods that declare no controller: ${ns}/bare\n`);
    expect((await ctx.kubectl.run(['get', 'pod', 'bare', '-n', ns])).stderr).toBe('Error from server (NotFound): pods "bare" not found\n');
    await ctx.kubectl.ok(['uncordon', 'master']);
  });

  it('lists events with get events and kubectl events', async () => {
    const ns = await ctx.namespace('cluster-events');
    await ctx.kubectl.ok(['create', '-f', '-'], { stdin: event(ns, 'hello-node.1', { kind: 'Pod', name: 'hello-node' }, 'Scheduled', `Successfully assigned ${ns}/hello-node to minikube`, 300) });
    await ctx.kubectl.ok(['create', '-f', '-'], { stdin: event(ns, 'hello-node.2', { kind: 'Pod', name: 'hello-node' }, 'BackOff', 'Back-off pulling image "agnhost"', 60) });
    const events = await ctx.kubectl.ok(['get', 'events', '-n', ns]);
    expect(headers(events)).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    const rows = table(events);
    expect(rows.map((r) => [r.TYPE, r.REASON, r.OBJECT, r.MESSAGE])).toEqual([
      ['Normal', 'Scheduled', 'pod/hello-node', `Successfully assigned ${ns}/hello-node to minikube`],
      ['Warning', 'BackOff', 'pod/hello-node', 'Back-off pulling image "agnhost"'],
    ]);
    expect(rows[0]!['LAST SEEN']).toMatch(/^5m(\d+s)?$/);
    expect(rows[1]!['LAST SEEN']).toMatch(/^\d+s$/);
    const wide = table(await ctx.kubectl.ok(['get', 'events', '-o', 'wide', '-n', ns]));
    expect(wide[0]).toMatchObject({ SOURCE: 'default-scheduler', COUNT: '1', NAME: 'hello-node.1', SUBOBJECT: '' });

    const recent = await ctx.kubectl.ok(['events', '-n', ns]);
    expect(headers(recent)).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(table(recent).map((r) => [r.REASON, r.OBJECT])).toEqual([
      ['Scheduled', 'Pod/hello-node'],
      ['BackOff', 'Pod/hello-node'],
    ]);
    expect(table(await ctx.kubectl.ok(['events', '--types=Warning', '-n', ns])).map((r) => r.REASON)).toEqual(['BackOff']);
    expect(table(await ctx.kubectl.ok(['events', '--for', 'pod/hello-node', '-n', ns])).map((r) => r.REASON)).toEqual(['Scheduled', 'BackOff']);
  });

  it('describes pods, deployments, services, nodes, namespaces, configmaps and secrets', async () => {
    await ctx.kubectl.ok(['create', '-f', '-'], { stdin: node('worker') });
    const ns = await ctx.namespace('cluster-describe');
    await ctx.kubectl.ok(['create', '-f', '-'], { stdin: boundPod(ns, 'busy-pod', 'worker') });
    const uid = await ctx.kubectl.ok(['get', 'pod', 'busy-pod', '-n', ns, '-o', 'jsonpath={.metadata.uid}']);
    await ctx.kubectl.ok(['create', '-f', '-'], { stdin: event(ns, 'busy-pod.1', { kind: 'Pod', name: 'busy-pod', uid }, 'Scheduled', `Successfully assigned ${ns}/busy-pod to worker`, 30) });

    const pod = await ctx.kubectl.ok(['describe', 'pod', 'busy-pod', '-n', ns]);
    expect(pod).toMatch(new RegExp(`^Name: +busy-pod\nNamespace: +${ns}\n`));
    expect(pod).toMatch(/^Node: +worker\/$/m);
    expect(pod).toMatch(/^Labels: +app=busy-pod$/m);
    expect(pod).toMatch(/^Status: +Pending$/m);
    expect(pod).toMatch(/^ {4}Image: +nginx:alpine$/m);
    expect(pod).toMatch(/^ {4}Port: +80\/TCP$/m);
    expect(pod).toMatch(/^ {4}Limits:\n {6}cpu: +200m\n {6}memory: +128Mi\n {4}Requests:\n {6}cpu: +100m\n {6}memory: +64Mi$/m);
    expect(pod).toMatch(/^ {4}Environment:\n {6}GREETING: +hello$/m);
    expect(pod).toMatch(/^QoS Class: +Burstable$/m);
    expect(pod).toMatch(/^Events:\n {2}Type +Reason +Age +From +Message\n {2}-+ +-+ +-+ +-+ +-+\n {2}Normal +Scheduled +\d+s +default-scheduler +Successfully assigned \S+\/busy-pod to worker\n/m);

    const worker = await ctx.kubectl.ok(['describe', 'node', 'worker']);
    expect(worker).toMatch(/^Name: +worker\nRoles: +control-plane\n/);
    expect(worker).toMatch(/^Taints: +node-role\.kubernetes\.io\/control-plane:NoSchedule$/m);
    expect(worker).toMatch(/^Unschedulable: +false$/m);
    expect(worker).toMatch(/^ {2}Ready +True +.+ +KubeletReady +kubelet is posting ready status$/m);
    expect(worker).toMatch(/^Addresses:\n {2}InternalIP: +192\.168\.56\.3\n {2}Hostname: +worker$/m);
    expect(worker).toMatch(/^ {2}Kubelet Version: +v1\.32\.0$/m);
    // The pods bound to the node, found by field selectors on spec.nodeName and status.phase.
    expect(worker).toMatch(/^Non-terminated Pods: +\(1 in total\)$/m);
    expect(worker).toMatch(new RegExp(`^ {2}${ns} +busy-pod +100m \\(5%\\) +200m \\(10%\\) +64Mi \\(1%\\) +128Mi \\(3%\\) +\\d+s$`, 'm'));
    expect(worker).toMatch(/^ {2}cpu +100m \(5%\) +200m \(10%\)$/m);

    await ctx.kubectl.ok(['create', 'deployment', 'ngx-dep', '--image=nginx:alpine', '--replicas=2', '-n', ns]);
    const deployment = await ctx.kubectl.ok(['describe', 'deployment', 'ngx-dep', '-n', ns]);
    expect(deployment).toMatch(/^Selector: +app=ngx-dep$/m);
    expect(deployment).toMatch(/^Replicas: +2 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable$/m);
    expect(deployment).toMatch(/^StrategyType: +RollingUpdate$/m);
    expect(deployment).toMatch(/^RollingUpdateStrategy: +25% max unavailable, 25% max surge$/m);
    expect(deployment).toMatch(/^Pod Template:\n {2}Labels: +app=ngx-dep\n {2}Containers:\n {3}nginx:\n {4}Image: +nginx:alpine$/m);

    await ctx.kubectl.ok(['create', 'service', 'clusterip', 'ngx-svc', '--tcp=80:8080', '-n', ns]);
    const service = await ctx.kubectl.ok(['describe', 'service', 'ngx-svc', '-n', ns]);
    const clusterIp = await ctx.kubectl.ok(['get', 'service', 'ngx-svc', '-n', ns, '-o', 'jsonpath={.spec.clusterIP}']);
    expect(service).toMatch(/^Type: +ClusterIP$/m);
    expect(service).toMatch(new RegExp(`^IP: +${clusterIp.replace(/\./g, '\\.')}$`, 'm'));
    expect(service).toMatch(/^Port: +80-8080 +80\/TCP\nTargetPort: +8080\/TCP\nEndpoints: +<none>$/m);
    expect(service).toMatch(/^Session Affinity: +None$/m);

    await ctx.kubectl.ok(['create', 'quota', 'dev-qt', '--hard=pods=10', '-n', ns]);
    const namespace = await ctx.kubectl.ok(['describe', 'namespace', ns]);
    expect(namespace).toMatch(new RegExp(`^Name: +${ns}\nLabels: +kubernetes\\.io/metadata\\.name=${ns}\nAnnotations: +<none>\nStatus: +Active\n`));
    expect(namespace).toMatch(/^Resource Quotas\n {2}Name: +dev-qt\n/m);
    expect(namespace).toMatch(/^No LimitRange resource\.$/m);

    await ctx.kubectl.ok(['create', 'configmap', 'info', '--from-literal=count=10', '--from-literal=greeting=hello', '-n', ns]);
    // kubectl lists data keys in Go's (random) map order.
    const configMap = await ctx.kubectl.ok(['describe', 'configmap', 'info', '-n', ns]);
    expect(configMap).toMatch(new RegExp(`^Name: {9}info\nNamespace: {4}${ns}\nLabels: {7}<none>\nAnnotations: {2}<none>\n\nData\n====\n`));
    expect(configMap).toContain('\ncount:\n----\n10\n\n');
    expect(configMap).toContain('\ngreeting:\n----\nhello\n\n');
    expect(configMap).toMatch(/\n\nBinaryData\n====\n\nEvents: {2}<none>\n$/);
    await ctx.kubectl.ok(['create', 'secret', 'generic', 'user', '--from-literal=name=root', '--from-literal=pwd=123456', '-n', ns]);
    const secret = await ctx.kubectl.ok(['describe', 'secret', 'user', '-n', ns]);
    expect(secret).toMatch(/^Type: +Opaque\n\nData\n====\n/m);
    expect(secret).toMatch(/^name: +4 bytes$/m);
    expect(secret).toMatch(/^pwd: +6 bytes$/m);
  });

  it('waits for conditions, JSONPath values, creation and deletion', async () => {
    const ns = await ctx.namespace('cluster-wait');
    await ctx.kubectl.ok(['create', '-f', '-'], { stdin: node('waiter') });
    expect(await ctx.kubectl.ok(['wait', '--for=condition=Ready', 'node/waiter', '--timeout=10s'])).toBe('node/waiter condition met\n');
    const notMet = await ctx.kubectl.run(['wait', '--for=condition=Ready=false', 'node/waiter', '--timeout=1s']);
    expect(notMet).toMatchObject({ code: 1, stderr: 'error: timed out waiting for the condition on nodes/waiter\n' });

    // --for=create polls until the object is there.
    const created = ctx.kubectl.start(['wait', '--for=create', 'configmap/late', '--timeout=20s', '-n', ns]);
    await ctx.kubectl.ok(['create', 'configmap', 'late', '--from-literal=state=starting', '-n', ns]);
    expect(await created.exited).toMatchObject({ code: 0, stdout: 'configmap/late condition met\n' });

    // The others watch the object (-v=6 shows when the watch is open) until it matches.
    const watchOpen = (_: string, log: string) => /[?&]watch=true 200 OK/.test(log);
    const changed = ctx.kubectl.start(['wait', '--for=jsonpath={.data.state}=ready', 'configmap/late', '--timeout=20s', '-n', ns, '-v=6']);
    await changed.waitFor(watchOpen);
    await ctx.kubectl.ok(['patch', 'configmap', 'late', '--type=merge', '-p', '{"data":{"state":"ready"}}', '-n', ns]);
    expect(await changed.exited).toMatchObject({ code: 0, stdout: 'configmap/late condition met\n' });

    const deleted = ctx.kubectl.start(['wait', '--for=delete', 'configmap/late', '--timeout=20s', '-n', ns, '-v=6']);
    await deleted.waitFor(watchOpen);
    await ctx.kubectl.ok(['delete', 'configmap', 'late', '-n', ns]);
    expect(await deleted.exited).toMatchObject({ code: 0, stdout: 'configmap/late condition met\n' });
  });

  it('prints cluster-info', async () => {
    expect(await ctx.kubectl.ok(['cluster-info'])).toBe(
      `Kubernetes control plane is running at ${ctx.plane.url}\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`,
    );
  });
});
