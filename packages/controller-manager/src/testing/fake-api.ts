// An in-memory apiserver for controller unit tests (client-go's fake clientset and object
// tracker, behind the real REST client): it answers get/list/watch/create/update/patch/delete
// over plain maps with resourceVersions, uids, 404/409 Status errors worded as Kubernetes words
// them, and watch streams, and records every request as an action. Tests seed the state a
// controller should see, run it on real informers, and assert the writes it made.
// Deletion follows the apiserver: objects with finalizers (and propagationPolicy Foreground /
// Orphan, which add the foregroundDeletion / orphan finalizers) get a deletionTimestamp and stay
// until an update removes the last finalizer; pods bound to a node are deleted gracefully (they
// stay, with deletionGracePeriodSeconds, until their kubelet deletes them with grace 0); a
// namespace stays Terminating until its spec.finalizers are emptied through namespaces/finalize.
// Writes to the status subresource change only .status; spec changes bump metadata.generation.
// pods/binding and pods/eviction are served.
// Deliberately simple where controllers do not care: no validation, defaulting, admission (but
// for NamespaceLifecycle's "namespace not found / being terminated"), or paging.
import type { JsonObject, JsonValue, KubeObject, Status } from '@k8ts/api';
import { isJsonObject, schema } from '@k8ts/api';
import { serverSideApply } from '@k8ts/api/apply/index.ts';
import { jsonMergePatch, strategicMergePatch } from '@k8ts/api/patch/index.ts';
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { fieldsOf, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '@k8ts/api/selectors/index.ts';
import { FakeClock, RestClient, type Clock, type HttpRequest, type HttpResponse, type HttpTransport } from '@k8ts/client';
import { AsyncChannel } from './async-channel.ts';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface Action {
  verb: Verb;
  /** plural, with ".group" for named groups: "secrets", "clusterroles.rbac.authorization.k8s.io" */
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** the decoded request body (object, patch or DeleteOptions) */
  body?: JsonValue;
  query: Record<string, string>;
  /** the credentials and user agent it was sent with */
  authorization?: string;
  userAgent?: string;
}

/** A reactor answers an action instead of the store: a Status to fail it, an object to return. */
export type Reactor = (action: Action) => Status | KubeObject | undefined;

interface Target {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

interface StoredEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: string;
  object: KubeObject;
  rv: number;
}

interface Watcher {
  key: string;
  namespace?: string;
  matches: (obj: KubeObject) => boolean;
  channel: AsyncChannel<Uint8Array>;
}

function qualified(target: Pick<Target, 'group' | 'resource'>): string {
  return target.group === '' ? target.resource : `${target.resource}.${target.group}`;
}

function failure(code: number, reason: string, message: string, details?: Status['details']): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

function json(status: number, value: unknown): HttpResponse {
  const body = Buffer.from(JSON.stringify(value));
  return {
    status,
    headers: { 'content-type': ['application/json'] },
    body: (async function* () {
      yield body;
    })(),
  };
}

/** Splits an API path into group/version/resource/namespace/name/subresource. */
function parsePath(pathname: string): Target | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') [group, version, rest] = ['', parts[1] ?? '', parts.slice(2)];
  else if (parts[0] === 'apis') [group, version, rest] = [parts[1] ?? '', parts[2] ?? '', parts.slice(3)];
  else return undefined;
  let namespace: string | undefined;
  // namespaces/<ns>/<resource>/…, except the namespace itself and its status/finalize
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  if (!resource) return undefined;
  return { group, version, resource, namespace, name, subresource };
}

export class FakeApi {
  readonly actions: Action[] = [];
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly events: StoredEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly reactors: Reactor[] = [];
  private rv = 100;
  private uids = 0;

  constructor(readonly clock: Clock = new FakeClock(Date.UTC(2025, 0, 1))) {}

  /** Stores objects as they are (filling uid, resourceVersion and creationTimestamp when missing). */
  seed(...objects: KubeObject[]): void {
    for (const obj of objects) {
      const target = this.targetOf(obj);
      this.write(target, this.stamp(structuredClone(obj), target, true), 'ADDED');
    }
  }

  /** The stored object, or undefined. */
  get<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace: string | undefined, name: string): T | undefined {
    const target = this.targetOf({ apiVersion, kind, metadata: { name, namespace } });
    return this.bucket(target).get(this.objectKey(target, namespace, name)) as T | undefined;
  }

  /** Every stored object of a kind, in key order. */
  list<T extends KubeObject = KubeObject>(apiVersion: string, kind: string): T[] {
    const target = this.targetOf({ apiVersion, kind, metadata: {} });
    return [...this.bucket(target).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, obj]) => obj as T);
  }

  /** Answers matching actions before the store does (most recently added first). */
  prependReactor(reactor: Reactor): void {
    this.reactors.unshift(reactor);
  }

  /** Fails the next `verb` on `resource` with `status`, once. */
  failNext(verb: Verb, resource: string, status: Status): void {
    let used = false;
    this.prependReactor((action) => {
      if (used || action.verb !== verb || action.resource !== resource) return undefined;
      used = true;
      return status;
    });
  }

  /** The writes made so far (everything but get, list and watch). */
  writes(): Action[] {
    return this.actions.filter((a) => a.verb !== 'get' && a.verb !== 'list' && a.verb !== 'watch');
  }

  clearActions(): void {
    this.actions.length = 0;
  }

  /** A REST client over this fake, without client-side throttling. */
  client(userAgent = 'fake-api-test'): RestClient {
    return new RestClient({ host: 'http://fake.invalid', qps: -1, userAgent }, { transport: this.transport, clock: this.clock });
  }

  /** Ends every open watch, as an apiserver restart would. */
  closeWatches(): void {
    for (const watcher of this.watchers) watcher.channel.close();
    this.watchers.clear();
  }

  readonly transport: HttpTransport = async (request) => this.handle(request);

  private async handle(request: HttpRequest): Promise<HttpResponse> {
    const target = parsePath(request.url.pathname);
    if (!target || !schema.resourceFor(target.group, target.version, target.resource)) {
      return json(404, failure(404, 'NotFound', 'the server could not find the requested resource'));
    }
    const query = Object.fromEntries(request.url.searchParams);
    const body = request.body && request.body.length > 0 ? (JSON.parse(request.body.toString('utf8')) as JsonValue) : undefined;
    const verb = this.verbOf(request.method, target, query);
    const action: Action = {
      verb,
      resource: qualified(target),
      ...(target.namespace !== undefined ? { namespace: target.namespace } : {}),
      ...(target.name !== undefined ? { name: target.name } : {}),
      ...(target.subresource !== undefined ? { subresource: target.subresource } : {}),
      ...(body !== undefined ? { body } : {}),
      query,
      ...(request.headers.Authorization ? { authorization: request.headers.Authorization } : {}),
      ...(request.headers['User-Agent'] ? { userAgent: request.headers['User-Agent'] } : {}),
    };
    this.actions.push(action);
    for (const reactor of this.reactors) {
      const answer = reactor(action);
      if (answer === undefined) continue;
      return answer.kind === 'Status' && (answer as Status).status === 'Failure' ? json((answer as Status).code, answer) : json(200, answer);
    }
    try {
      switch (verb) {
        case 'get':
          return json(200, this.mustGet(target));
        case 'list':
          return json(200, this.listResponse(target, query));
        case 'watch':
          return this.openWatch(target, query, request.signal);
        case 'create':
          return json(201, this.create(target, body));
        case 'update':
          return json(200, this.update(target, body));
        case 'patch':
          return json(200, this.patch(target, body, request.headers['Content-Type'] ?? '', query));
        case 'delete':
          return json(200, this.delete(target, body, query));
        case 'deletecollection':
          return json(200, this.deleteCollection(target, body, query));
      }
    } catch (err) {
      if (err instanceof StatusFailure) return json(err.status.code, err.status);
      throw err;
    }
  }

  private verbOf(method: string, target: Target, query: Record<string, string>): Verb {
    switch (method) {
      case 'GET':
        return target.name === undefined ? (query.watch === 'true' ? 'watch' : 'list') : 'get';
      case 'POST':
        return 'create';
      case 'PUT':
        return 'update';
      case 'PATCH':
        return 'patch';
      default:
        return target.name === undefined ? 'deletecollection' : 'delete';
    }
  }

  private info(target: Pick<Target, 'group' | 'version' | 'resource'>) {
    return schema.resourceFor(target.group, target.version, target.resource)!;
  }

  private targetOf(obj: KubeObject): Target {
    const [group, version] = obj.apiVersion!.includes('/') ? obj.apiVersion!.split('/') : ['', obj.apiVersion!];
    const info = schema.resourceForKind({ group: group!, version: version!, kind: obj.kind! });
    if (!info) throw new Error(`fake api: unknown kind ${obj.apiVersion} ${obj.kind}`);
    return { group: group!, version: version!, resource: info.resource, namespace: info.namespaced ? obj.metadata.namespace : undefined };
  }

  private bucket(target: Pick<Target, 'group' | 'resource'>): Map<string, KubeObject> {
    const key = qualified(target);
    let bucket = this.objects.get(key);
    if (!bucket) this.objects.set(key, (bucket = new Map()));
    return bucket;
  }

  private objectKey(target: Target, namespace: string | undefined, name: string): string {
    return this.info(target).namespaced ? `${namespace ?? ''}/${name}` : name;
  }

  private notFound(target: Target, name: string): StatusFailure {
    return new StatusFailure(failure(404, 'NotFound', `${qualified(target)} "${name}" not found`, { name, group: target.group, kind: target.resource }));
  }

  private conflict(target: Target, name: string, why: string): StatusFailure {
    return new StatusFailure(
      failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(target)} "${name}": ${why}`, { name, group: target.group, kind: target.resource }),
    );
  }

  private mustGet(target: Target): KubeObject {
    const obj = this.bucket(target).get(this.objectKey(target, target.namespace, target.name!));
    if (!obj) throw this.notFound(target, target.name!);
    return obj;
  }

  private selected(target: Target, query: Record<string, string>): (obj: KubeObject) => boolean {
    const labels = query.labelSelector ? parseLabelSelector(query.labelSelector) : [];
    const fields = query.fieldSelector ? parseFieldSelector(query.fieldSelector) : [];
    return (obj) =>
      (target.namespace === undefined || obj.metadata.namespace === target.namespace) &&
      matchesLabels(labels, obj.metadata.labels) &&
      matchesFields(fields, fieldsOf(target.group, target.resource, obj));
  }

  private listResponse(target: Target, query: Record<string, string>): JsonObject {
    const info = this.info(target);
    const matches = this.selected(target, query);
    const items = [...this.bucket(target).values()].filter(matches);
    return {
      apiVersion: target.group === '' ? target.version : `${target.group}/${target.version}`,
      kind: info.listKind ?? `${info.kind}List`,
      metadata: { resourceVersion: String(this.rv) },
      items: items as unknown as JsonValue[],
    };
  }

  private openWatch(target: Target, query: Record<string, string>, signal: AbortSignal): HttpResponse {
    const channel = new AsyncChannel<Uint8Array>();
    const watcher: Watcher = { key: qualified(target), namespace: target.namespace, matches: this.selected(target, query), channel };
    const since = Number(query.resourceVersion || this.rv);
    for (const event of this.events) {
      if (event.key === watcher.key && event.rv > since && watcher.matches(event.object)) channel.push(frame(event));
    }
    this.watchers.add(watcher);
    const close = (): void => {
      this.watchers.delete(watcher);
      channel.close();
    };
    if (signal.aborted) close();
    signal.addEventListener('abort', close, { once: true });
    return { status: 200, headers: { 'content-type': ['application/json'] }, body: channel };
  }

  /** uid, resourceVersion, creationTimestamp and namespace as the apiserver sets them. */
  private stamp(obj: KubeObject, target: Target, keepGiven: boolean): KubeObject {
    const info = this.info(target);
    obj.apiVersion = target.group === '' ? target.version : `${target.group}/${target.version}`;
    obj.kind = info.kind;
    const meta = obj.metadata;
    if (info.namespaced) meta.namespace = target.namespace ?? meta.namespace;
    if (!keepGiven || !meta.uid) meta.uid = `00000000-0000-4000-8000-${String(++this.uids).padStart(12, '0')}`;
    if (!keepGiven || !meta.creationTimestamp) meta.creationTimestamp = formatRfc3339(Math.floor(this.clock.now() / 1000));
    return obj;
  }

  private checkNamespace(target: Target): void {
    if (!this.info(target).namespaced || target.namespace === undefined) return;
    const namespace = this.bucket({ group: '', resource: 'namespaces' }).get(target.namespace);
    if (!namespace) {
      throw new StatusFailure(failure(404, 'NotFound', `namespaces "${target.namespace}" not found`, { name: target.namespace, kind: 'namespaces' }));
    }
    if ((namespace as { status?: { phase?: string } }).status?.phase === 'Terminating') {
      const message = `unable to create new content in namespace ${target.namespace} because it is being terminated`;
      throw new StatusFailure(
        failure(403, 'Forbidden', `${qualified(target)} is forbidden: ${message}`, {
          group: target.group,
          kind: target.resource,
          causes: [{ reason: 'NamespaceTerminating', message, field: 'metadata.namespace' }],
        }),
      );
    }
  }

  private create(target: Target, body: JsonValue | undefined): KubeObject | Status {
    if (target.resource === 'pods' && target.subresource === 'binding') return this.bind(target, body);
    if (target.resource === 'pods' && target.subresource === 'eviction') {
      const options = isJsonObject(body) && isJsonObject(body.deleteOptions) ? body.deleteOptions : undefined;
      return this.delete(target, options, {});
    }
    if (target.subresource) throw new StatusFailure(failure(405, 'MethodNotAllowed', `fake api: create of ${target.resource}/${target.subresource} is not scripted`));
    const obj = structuredClone(body) as unknown as KubeObject;
    obj.metadata ??= {};
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = `${obj.metadata.generateName}${String(this.uids + 1).padStart(5, 'x')}`;
    const name = obj.metadata.name ?? '';
    this.checkNamespace(target);
    if (this.bucket(target).has(this.objectKey(target, target.namespace, name))) {
      throw new StatusFailure(
        failure(409, 'AlreadyExists', `${qualified(target)} "${name}" already exists`, { name, group: target.group, kind: target.resource }),
      );
    }
    delete obj.metadata.resourceVersion;
    obj.metadata.generation = 1;
    return this.write(target, this.stamp(obj, target, false), 'ADDED');
  }

  /** pods/binding: the scheduler's write, setting spec.nodeName once. */
  private bind(target: Target, body: JsonValue | undefined): Status {
    const pod = this.mustGet(target) as KubeObject & { spec?: { nodeName?: string } };
    const node = isJsonObject(body) && isJsonObject(body.target) ? String(body.target.name ?? '') : '';
    if (pod.spec?.nodeName) {
      throw this.conflict({ ...target, resource: 'pods/binding', subresource: undefined }, target.name!, `pod ${target.name} is already assigned to node "${pod.spec.nodeName}"`);
    }
    const next = structuredClone(pod) as KubeObject & { spec: Record<string, JsonValue> };
    next.spec = { ...next.spec, nodeName: node };
    this.write({ ...target, subresource: undefined }, next, 'MODIFIED');
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as Status;
  }

  private update(target: Target, body: JsonValue | undefined): KubeObject {
    const live = this.mustGet(target);
    const obj = structuredClone(body) as unknown as KubeObject;
    const given = obj.metadata?.resourceVersion;
    if (given && given !== live.metadata.resourceVersion) {
      throw this.conflict(target, target.name!, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    obj.metadata = { ...obj.metadata, uid: live.metadata.uid, creationTimestamp: live.metadata.creationTimestamp };
    return this.commitUpdate(target, live, obj);
  }

  /**
   * Stores an update as the apiserver would: a status write changes only .status, a
   * namespaces/finalize write only spec.finalizers; a spec change bumps metadata.generation; an
   * object being deleted whose last finalizer is gone is removed.
   */
  private commitUpdate(target: Target, live: KubeObject, next: KubeObject): KubeObject {
    let obj = next;
    if (target.subresource === 'status') {
      obj = { ...structuredClone(live), status: (next as { status?: JsonValue }).status } as KubeObject;
      // The apps status strategies reset only spec (and the Deployment's labels): controllers
      // record revisions in annotations through status writes.
      if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(live.kind ?? '')) {
        obj.metadata = { ...next.metadata, ...(live.kind === 'Deployment' ? { labels: live.metadata.labels } : {}) };
        if (obj.metadata.labels === undefined) delete obj.metadata.labels;
      }
    }
    if (target.subresource === 'finalize') {
      const finalizers = ((next as { spec?: { finalizers?: JsonValue } }).spec?.finalizers ?? []) as JsonValue;
      obj = structuredClone(live);
      (obj as { spec?: Record<string, JsonValue> }).spec = { ...(obj as { spec?: Record<string, JsonValue> }).spec, finalizers };
    }
    if (!target.subresource && JSON.stringify((live as { spec?: JsonValue }).spec) !== JSON.stringify((obj as { spec?: JsonValue }).spec)) {
      obj.metadata.generation = (live.metadata.generation ?? 1) + 1;
    } else {
      obj.metadata.generation = live.metadata.generation;
    }
    obj.metadata.deletionTimestamp = live.metadata.deletionTimestamp;
    obj.metadata.deletionGracePeriodSeconds = live.metadata.deletionGracePeriodSeconds;
    if (!obj.metadata.deletionTimestamp) delete obj.metadata.deletionTimestamp;
    if (obj.metadata.deletionGracePeriodSeconds === undefined) delete obj.metadata.deletionGracePeriodSeconds;
    const stamped = this.stamp(obj, { ...target, subresource: undefined }, true);
    if (this.finishedDeleting(stamped)) return this.remove({ ...target, subresource: undefined }, stamped);
    // A write that changes nothing is not stored and wakes no watch, as in the apiserver.
    stamped.metadata.resourceVersion = live.metadata.resourceVersion;
    if (JSON.stringify(canonical(stamped)) === JSON.stringify(canonical(live))) return structuredClone(live);
    return this.write({ ...target, subresource: undefined }, stamped, 'MODIFIED');
  }

  /** Deleting, and nothing holds it any more: no finalizers, no grace period left to wait out. */
  private finishedDeleting(obj: KubeObject): boolean {
    if (!obj.metadata.deletionTimestamp || (obj.metadata.finalizers?.length ?? 0) > 0) return false;
    if (obj.kind === 'Namespace') return ((obj as { spec?: { finalizers?: string[] } }).spec?.finalizers?.length ?? 0) === 0;
    return (obj.metadata.deletionGracePeriodSeconds ?? 0) === 0;
  }

  private patch(target: Target, body: JsonValue | undefined, contentType: string, query: Record<string, string>): KubeObject {
    const info = this.info(target);
    const key = this.objectKey(target, target.namespace, target.name!);
    const live = this.bucket(target).get(key);
    const message = schema.kindSchema({ group: target.group, version: target.version, kind: info.kind });
    let patched: KubeObject;
    if (contentType.startsWith('application/apply-patch')) {
      if (!live) this.checkNamespace(target);
      patched = serverSideApply(live, body as unknown as KubeObject, {
        manager: query.fieldManager ?? '',
        apiVersion: target.group === '' ? target.version : `${target.group}/${target.version}`,
        now: new Date(this.clock.now()),
        message,
        force: query.force === 'true',
      });
      if (!live) return this.write(target, this.stamp(patched, target, false), 'ADDED');
    } else {
      if (!live) throw this.notFound(target, target.name!);
      const result = contentType.startsWith('application/merge-patch')
        ? jsonMergePatch(live as unknown as JsonValue, body ?? null)
        : strategicMergePatch(live as unknown as JsonValue, body ?? null, message);
      patched = result as unknown as KubeObject;
    }
    patched.metadata = { ...patched.metadata, uid: live!.metadata.uid, creationTimestamp: live!.metadata.creationTimestamp };
    return this.commitUpdate(target, live!, patched);
  }

  private delete(target: Target, body: JsonValue | undefined, query: Record<string, string>): Status {
    const live = this.mustGet(target);
    const options = isJsonObject(body) ? body : {};
    const preconditions = isJsonObject(options.preconditions) ? options.preconditions : undefined;
    if (preconditions?.uid !== undefined && preconditions.uid !== live.metadata.uid) {
      throw this.conflict(
        target,
        target.name!,
        `Precondition failed: UID in precondition: ${String(preconditions.uid)}, UID in object meta: ${live.metadata.uid ?? ''}`,
      );
    }
    const graceOption = options.gracePeriodSeconds ?? (query.gracePeriodSeconds !== undefined ? Number(query.gracePeriodSeconds) : undefined);
    const policy = options.propagationPolicy ?? query.propagationPolicy ?? (options.orphanDependents === true ? 'Orphan' : undefined);
    const next = structuredClone(live);
    const meta = next.metadata;
    const finalizers = new Set(meta.finalizers ?? []);
    if (policy === 'Orphan') finalizers.add('orphan');
    if (policy === 'Foreground') finalizers.add('foregroundDeletion');
    const grace = this.gracePeriodOf(next, typeof graceOption === 'number' ? graceOption : undefined);
    const namespaceHeld = next.kind === 'Namespace' && ((next as { spec?: { finalizers?: string[] } }).spec?.finalizers?.length ?? 0) > 0;
    if (finalizers.size === 0 && grace === 0 && !namespaceHeld) return this.removed(target, live);
    // Kept: it is marked for deletion and waits for its finalizers, kubelet or namespace controller.
    const deadline = this.clock.now() + grace * 1000;
    const shortened = !meta.deletionTimestamp || deadline < Date.parse(meta.deletionTimestamp);
    if (shortened) {
      meta.deletionTimestamp = formatRfc3339(Math.floor(deadline / 1000));
      meta.deletionGracePeriodSeconds = grace;
    }
    if (finalizers.size > 0) meta.finalizers = [...finalizers];
    if (next.kind === 'Namespace') (next as { status?: Record<string, JsonValue> }).status = { ...(next as { status?: Record<string, JsonValue> }).status, phase: 'Terminating' };
    if (this.finishedDeleting(next)) return this.removed(target, live);
    return this.write(target, next, 'MODIFIED') as unknown as Status;
  }

  /** Grace for a delete: pods on a node get theirs (option, else the spec's, else 30 s); the rest 0. */
  private gracePeriodOf(obj: KubeObject, option: number | undefined): number {
    const pod = obj as { kind?: string; spec?: { nodeName?: string; terminationGracePeriodSeconds?: number } };
    if (pod.kind !== 'Pod' || !pod.spec?.nodeName) return 0;
    return Math.max(0, option ?? pod.spec.terminationGracePeriodSeconds ?? 30);
  }

  private deleteCollection(target: Target, body: JsonValue | undefined, query: Record<string, string>): JsonObject {
    const matches = this.selected(target, query);
    for (const obj of [...this.bucket(target).values()].filter(matches)) {
      this.delete({ ...target, namespace: obj.metadata.namespace, name: obj.metadata.name }, body, query);
    }
    return this.listResponse(target, query);
  }

  private removed(target: Target, live: KubeObject): Status {
    this.remove(target, live);
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: target.name!, group: target.group, kind: target.resource, uid: live.metadata.uid },
    } as Status;
  }

  private remove(target: Target, live: KubeObject): KubeObject {
    const key = this.objectKey(target, live.metadata.namespace ?? target.namespace, live.metadata.name ?? '');
    this.bucket(target).delete(key);
    this.rv++;
    const gone = { ...live, metadata: { ...live.metadata, resourceVersion: String(this.rv) } };
    this.emit({ type: 'DELETED', key: qualified(target), object: gone, rv: this.rv });
    return structuredClone(gone);
  }

  private write(target: Target, obj: KubeObject, type: 'ADDED' | 'MODIFIED'): KubeObject {
    obj.metadata.resourceVersion = String(++this.rv);
    const key = this.objectKey(target, obj.metadata.namespace ?? target.namespace, obj.metadata.name ?? '');
    const bucket = this.bucket(target);
    bucket.set(key, obj);
    this.emit({ type, key: qualified(target), object: obj, rv: this.rv });
    return structuredClone(obj);
  }

  private emit(event: StoredEvent): void {
    this.events.push(event);
    for (const watcher of this.watchers) {
      if (watcher.key === event.key && watcher.matches(event.object)) watcher.channel.push(frame(event));
    }
  }
}

/** A JSON value with object keys sorted, so that equal objects print alike. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v)]));
}

function frame(event: StoredEvent): Uint8Array {
  return Buffer.from(`${JSON.stringify({ type: event.type, object: event.object })}\n`);
}

class StatusFailure extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
}
