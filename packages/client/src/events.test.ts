import { describe, expect, it } from 'vitest';
import type { JsonObject, KubeObject, Status } from '@k8ts/api';
import { FakeClock } from './clock.ts';
import { StatusError } from './errors.ts';
import type { CoreEvent } from './event-correlator.ts';
import { EventNamer, EventRecorder, eventSinkFor, getReference, type EventSink } from './events.ts';
import { silentLogger, type Logger } from './logger.ts';
import { RestClient } from './rest-client.ts';
import { jsonReply, ScriptedTransport } from './testing/scripted-transport.ts';

const T0 = Date.UTC(2024, 0, 2, 3, 4, 5);

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'prod', uid: 'u-1', resourceVersion: '42' } };

function statusError(code: number, reason: string): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: reason, reason, code };
  return StatusError.fromStatus(status);
}

/** An event store that answers like the apiserver, with failures the test can queue. */
class RecordingSink implements EventSink {
  readonly calls: string[] = [];
  readonly stored = new Map<string, CoreEvent>();
  readonly failures: Error[] = [];
  private rv = 100;

  async create(event: CoreEvent): Promise<CoreEvent> {
    this.calls.push(`create ${event.metadata.name} count=${event.count}`);
    const failure = this.failures.shift();
    if (failure) throw failure;
    const stored = { ...event, metadata: { ...event.metadata, resourceVersion: String(++this.rv) } };
    this.stored.set(event.metadata.name!, stored);
    return stored;
  }

  async patch(event: CoreEvent, patch: JsonObject): Promise<CoreEvent> {
    this.calls.push(`patch ${event.metadata.name} ${JSON.stringify(patch)}`);
    const failure = this.failures.shift();
    if (failure) throw failure;
    const current = this.stored.get(event.metadata.name!);
    if (!current) throw statusError(404, 'NotFound');
    const patched = { ...current, ...patch, metadata: { ...current.metadata, resourceVersion: String(++this.rv) } } as CoreEvent;
    this.stored.set(event.metadata.name!, patched);
    return patched;
  }
}

function setup(logger: Logger = silentLogger) {
  const clock = new FakeClock(T0);
  const sink = new RecordingSink();
  const recorder = new EventRecorder(sink, { component: 'kubelet', host: 'node-1' }, { clock, random: () => 0.5, logger, namer: new EventNamer() });
  return { clock, sink, recorder };
}

describe('EventRecorder', () => {
  it('writes a core/v1 Event naming the object, its source and the time', async () => {
    const { sink, recorder } = setup();
    recorder.event(pod, 'Normal', 'Pulled', 'Successfully pulled image "nginx:1.27"');
    await recorder.flush();
    const [event] = [...sink.stored.values()];
    expect(event).toEqual({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `web-1.${(BigInt(T0) * 1_000_000n).toString(16)}`, namespace: 'prod', resourceVersion: '101' },
      involvedObject: { kind: 'Pod', namespace: 'prod', name: 'web-1', uid: 'u-1', apiVersion: 'v1', resourceVersion: '42' },
      reason: 'Pulled',
      message: 'Successfully pulled image "nginx:1.27"',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: '2024-01-02T03:04:05Z',
      lastTimestamp: '2024-01-02T03:04:05Z',
      count: 1,
      type: 'Normal',
      reportingComponent: 'kubelet',
      reportingInstance: 'node-1',
    });
  });

  it('folds a repeat into the existing Event by patching count and lastTimestamp', async () => {
    const { clock, sink, recorder } = setup();
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await recorder.flush();
    await clock.advance(30_000);
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    recorder.event(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff');
    await recorder.flush();
    const name = `web-1.${(BigInt(T0) * 1_000_000n).toString(16)}`;
    expect(sink.calls.slice(0, 3)).toEqual([
      `create ${name} count=1`,
      `patch ${name} {"count":2,"lastTimestamp":"2024-01-02T03:04:35Z","message":"Back-off restarting failed container"}`,
      `patch ${name} {"count":3,"lastTimestamp":"2024-01-02T03:04:35Z","message":"Back-off restarting failed container"}`,
    ]);
    expect(sink.calls[3]).toMatch(/^create web-1\.[0-9a-f]+ count=1$/);
    expect(sink.stored.get(name)).toMatchObject({ count: 3, firstTimestamp: '2024-01-02T03:04:05Z', lastTimestamp: '2024-01-02T03:04:35Z' });
  });

  it('creates the Event again when the one it would patch has expired', async () => {
    const { sink, recorder } = setup();
    recorder.event(pod, 'Normal', 'Started', 'Started container web');
    await recorder.flush();
    sink.stored.clear();
    recorder.event(pod, 'Normal', 'Started', 'Started container web');
    await recorder.flush();
    expect(sink.calls.map((c) => c.split(' ')[0])).toEqual(['create', 'patch', 'create']);
    expect([...sink.stored.values()][0]).toMatchObject({ count: 2, metadata: { resourceVersion: '102' } });
  });

  it('retries network failures (first after a random part of 10 s, then every 10 s), up to 12 tries', async () => {
    const warnings: string[] = [];
    const { clock, sink, recorder } = setup({ info: () => {}, warn: (m) => warnings.push(m) });
    for (let i = 0; i < 12; i++) sink.failures.push(new Error('connect ECONNREFUSED'));
    recorder.event(pod, 'Normal', 'Killing', 'Stopping container web');
    await clock.flush();
    expect(sink.calls).toHaveLength(1);
    await clock.advance(5_000); // random 0.5 × 10 s
    expect(sink.calls).toHaveLength(2);
    await clock.advance(10_000 * 10);
    await recorder.flush();
    expect(sink.calls).toHaveLength(12);
    expect(warnings.at(-1)).toMatch(/\(retry limit exceeded!\)$/);
  });

  it('drops an event the server rejects, without retrying', async () => {
    const { clock, sink, recorder } = setup();
    sink.failures.push(statusError(422, 'Invalid'));
    recorder.event(pod, 'Normal', 'Created', 'Created container web');
    await clock.advance(60_000);
    await recorder.flush();
    expect(sink.calls).toHaveLength(1);
  });

  it('refuses unknown event types and objects it cannot refer to', async () => {
    const { sink, recorder } = setup();
    recorder.event(pod, 'Critical' as 'Normal', 'X', 'y');
    recorder.event({ metadata: { name: 'no-kind' } }, 'Normal', 'X', 'y');
    await recorder.flush();
    expect(sink.calls).toEqual([]);
  });

  it('files events about cluster-scoped objects in "default"', async () => {
    const { sink, recorder } = setup();
    recorder.event({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'n1' } }, 'Normal', 'NodeReady', 'Node node-1 status is now: NodeReady');
    await recorder.flush();
    expect([...sink.stored.values()][0].metadata.namespace).toBe('default');
    expect(getReference({ kind: 'Node', name: 'node-1' })).toEqual({ kind: 'Node', name: 'node-1' });
  });
});

describe('eventSinkFor', () => {
  it('creates events in their namespace and patches them with a strategic merge patch', async () => {
    const script = new ScriptedTransport().reply(jsonReply(201, { metadata: { name: 'e1' } }), jsonReply(200, { metadata: { name: 'e1' } }));
    const sink = eventSinkFor(new RestClient({ host: 'http://127.0.0.1:8080' }, { transport: script.transport, logger: silentLogger }));
    const event = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1', namespace: 'prod' }, involvedObject: {} } as CoreEvent;
    await sink.create(event);
    await sink.patch(event, { count: 2 });
    expect(script.requests.map((r) => `${r.method} ${r.url.pathname} ${r.headers['Content-Type']}`)).toEqual([
      'POST /api/v1/namespaces/prod/events application/json',
      'PATCH /api/v1/namespaces/prod/events/e1 application/strategic-merge-patch+json',
    ]);
  });

  it('names events of two recorders in the same millisecond apart (one namer per process)', async () => {
    const clock = new FakeClock(T0);
    const sink = new RecordingSink();
    const namer = new EventNamer();
    const binder = new EventRecorder(sink, { component: 'persistentvolume-controller' }, { clock, namer });
    const provisioner = new EventRecorder(sink, { component: 'k8ts.io/local-path' }, { clock, namer });
    binder.event(pod, 'Normal', 'ExternalProvisioning', 'waiting for a volume to be created');
    provisioner.event(pod, 'Normal', 'Provisioning', 'External provisioner is provisioning volume');
    await Promise.all([binder.flush(), provisioner.flush()]);
    expect([...sink.stored.values()].map((e) => e.reason).sort()).toEqual(['ExternalProvisioning', 'Provisioning']);
  });
});
