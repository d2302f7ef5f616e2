// The generic store behind every resource (Kubernetes' genericregistry.Store): create, read,
// update with optimistic concurrency, and delete with graceful deletion and finalizers. The
// rules particular to a kind come from its ResourceStrategy.
import type { GroupVersionKind, JsonObject, KubeObject, ResourceInfo } from '@k8ts/api';
import { schema } from '@k8ts/api';
import { applyDefaults } from '@k8ts/api/defaults/index.ts';
import { validateCreate, validateUpdate, invalidMessage, type FieldError } from '@k8ts/api/validation/index.ts';
import { updateManagedFields } from '@k8ts/api/apply/index.ts';
import type { AdmissionAttributes, AdmissionOperation } from '../admission/attributes.ts';
import type { AdmissionControl } from '../admission/chain.ts';
import { errors, type ResourceRef } from '../http/api-error.ts';
import type { ObjectStorage, StoredObject } from '../storage/object-storage.ts';
import { encodeStored, StoredValue } from '../storage/stored-value.ts';
import type { WatchCache } from '../storage/watch-cache.ts';
import type { ResourceConverter } from './conversion/converter.ts';
import { carryUpdateMeta, changesNothing, deepCopy, fillCreateMeta, jsonEqual, specOf, timestamp } from './object-meta.ts';
import type { DeleteOptions, OperationContext, ResourceStrategy } from './strategy.ts';

/**
 * How a write reaches its object: the main resource, the status subresource, or the server
 * itself (pods/binding): a trusted write of the whole object that skips update validation.
 */
export type WriteTarget = 'main' | 'status' | 'internal';

export interface UpdateOptions {
  target?: WriteTarget;
  /** create the object when missing (server-side apply, kinds that allow create on update) */
  createIfMissing?: boolean;
  /** the operation name recorded in managedFields */
  operation?: 'Update' | 'Apply';
  /**
   * skip managedFields bookkeeping: server-side apply did it, or the write is pods/binding, which
   * Kubernetes makes on storage directly (the scheduler owns no fields of the pods it binds)
   */
  managedFieldsDone?: boolean;
  /** the subresource admission is told about ("scale", "finalize"); a status write is "status" */
  subresource?: string;
}

/** A request on a subresource whose body is not this resource's object (pods/binding, pods/eviction). */
export interface SubresourceRequest {
  operation: AdmissionOperation;
  subresource: string;
  namespace: string | undefined;
  name: string;
  /** the request's body (a Binding, an Eviction, a TokenRequest), if it has one */
  object?: KubeObject;
  kind: GroupVersionKind;
  /** the connect options (PodExecOptions, …) */
  options?: JsonObject;
}

/**
 * Like Kubernetes' GuaranteedUpdate, a write that lost a race is retried against the fresh object
 * until it lands (50 clients patching one object make some lose dozens of times); the bound only
 * stops a livelock.
 */
const MAX_CONFLICT_RETRIES = 1000;

export class ResourceStore {
  readonly ref: ResourceRef;
  /** the version this endpoint serves: what requests carry and answers hold */
  readonly gvk: GroupVersionKind;
  /**
   * the version objects are stored in, which is also the one they are defaulted (again),
   * admitted and validated in; `gvk` unless a converter says otherwise
   */
  readonly storageGvk: GroupVersionKind;
  private readonly storageInfo: ResourceInfo;
  /** stored values already converted to this endpoint's version (the watch cache's, mostly) */
  private readonly convertedValues = new WeakMap<StoredValue, StoredValue>();

  constructor(
    readonly info: ResourceInfo,
    readonly storage: ObjectStorage,
    readonly cache: WatchCache,
    readonly strategy: ResourceStrategy,
    private readonly admission: AdmissionControl,
    /** for resources whose served versions differ in shape (autoscaling v1 and v2) */
    private readonly converter?: ResourceConverter,
  ) {
    this.ref = { group: info.group, resource: info.resource };
    this.gvk = { group: info.group, version: info.version, kind: info.kind };
    const storageVersion = converter?.storageVersion ?? info.version;
    this.storageGvk = { ...this.gvk, version: storageVersion };
    this.storageInfo = schema.resourceFor(info.group, storageVersion, info.resource) ?? info;
  }

  /** Whether stored objects must be converted to be served (or written) through this endpoint. */
  get converts(): boolean {
    return this.storageGvk.version !== this.gvk.version;
  }

  /** A stored object as this endpoint serves it. */
  toServed(object: KubeObject): KubeObject {
    return this.converter && this.converts ? this.converter.fromStorage(object, this.info.version) : object;
  }

  /** Stored bytes as this endpoint serves them: the same value unless the versions differ. */
  servedValue(value: StoredValue): StoredValue {
    if (!this.converts) return value;
    let converted = this.convertedValues.get(value);
    if (!converted) {
      const object = this.toServed(value.object);
      converted = new StoredValue(encodeStored(object), value.revision, object);
      this.convertedValues.set(value, converted);
    }
    return converted;
  }

  /**
   * A written object, defaulted in this endpoint's version, as stored: converted and defaulted in
   * the storage version, as Kubernetes defaults a v1 HorizontalPodAutoscaler's v2 fields.
   */
  private toStorage(object: KubeObject): KubeObject {
    if (!this.converter) return object;
    const stored = this.converter.toStorage(object, this.info.version);
    applyDefaults(this.storageGvk, stored);
    return stored;
  }

  get apiVersion(): string {
    return this.info.group ? `${this.info.group}/${this.info.version}` : this.info.version;
  }

  get hasStatus(): boolean {
    return this.info.subresources.some((s) => s.name === 'status');
  }

  key(namespace: string | undefined, name: string): string {
    return this.info.namespaced ? `${this.cache.prefix}${namespace}/${name}` : `${this.cache.prefix}${name}`;
  }

  /** Prefix of all objects, or of one namespace's. */
  prefixFor(namespace: string | undefined): string {
    return this.info.namespaced && namespace ? `${this.cache.prefix}${namespace}/` : this.cache.prefix;
  }

  /** The object as this endpoint serves it (converted from the storage version if need be). */
  async get(namespace: string | undefined, name: string): Promise<StoredObject> {
    return this.servedValue(await this.getStored(namespace, name));
  }

  private async getStored(namespace: string | undefined, name: string): Promise<StoredValue> {
    const found = await this.storage.get(this.key(namespace, name));
    if (!found) throw errors.notFound(this.ref, name);
    return found;
  }

  async create(
    namespace: string | undefined,
    input: KubeObject,
    ctx: OperationContext,
    options: { managedFieldsDone?: boolean; trusted?: boolean } = {},
  ): Promise<KubeObject> {
    const versioned = deepCopy(input);
    versioned.apiVersion = this.apiVersion;
    versioned.kind = this.info.kind;
    versioned.metadata ??= {};
    if (this.info.namespaced) versioned.metadata.namespace = namespace;
    else delete versioned.metadata.namespace;
    applyDefaults(this.gvk, versioned);
    // The fields the client sent (defaulted, in its version) are its manager's; admission and the strategy add the rest.
    const requested = options.managedFieldsDone ? undefined : deepCopy(versioned);
    const object = this.toStorage(versioned);
    const attributes = this.attributes('CREATE', namespace, object.metadata.name ?? '', object, undefined, ctx);
    if (!options.trusted) await this.admission.admit(attributes);
    fillCreateMeta(object.metadata, ctx.now, this.strategy.tracksGeneration === true);
    this.strategy.prepareForCreate?.(object, ctx);
    if (!options.trusted) {
      await this.validate(object, undefined, ctx);
      await this.admission.validate(attributes);
    }
    const stored = requested ? withManagedFieldsOf(object, updateManagedFields(undefined, requested, this.managedFieldsOptions(ctx))) : object;
    if (ctx.dryRun) return this.toServed(stored);
    await this.strategy.allocate?.(stored, undefined, ctx);
    const created = await this.storage
      .create(this.key(namespace, stored.metadata.name!), stored, this.strategy.ttlSeconds)
      .catch(async (err) => {
        await this.strategy.release?.(stored, undefined);
        throw err;
      });
    if (!created) {
      await this.strategy.release?.(stored, undefined);
      throw errors.alreadyExists(this.ref, stored.metadata.name!);
    }
    return this.toServed(created.object);
  }

  /**
   * Read-modify-write with optimistic concurrency (Kubernetes' GuaranteedUpdate): `mutate`
   * gets the stored object (as this endpoint serves it) and returns its replacement; a write
   * that lost a race is retried with the fresh object, unless `mutate` pinned a resourceVersion
   * (then 409 Conflict). Answers with the object as served.
   */
  async update(
    namespace: string | undefined,
    name: string,
    mutate: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>,
    ctx: OperationContext,
    options: UpdateOptions = {},
  ): Promise<{ object: KubeObject; created: boolean }> {
    const key = this.key(namespace, name);
    // The first attempt starts from the watch cache's copy, as Kubernetes' GuaranteedUpdate
    // starts from the cacher's: most updates then cost one store write and no read. The copy may
    // be stale, so whatever it decides alone — a conflict, a no-op — is checked against a fresh
    // read, and a write based on it fails its revision compare and is redone.
    let current = this.cache.isReady ? this.cache.copyOf(key) : undefined;
    let currentIsFresh = current === undefined;
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      if (!current) {
        current = await this.storage.get(key);
        currentIsFresh = true;
      }
      if (!current) {
        if (!options.createIfMissing && !this.strategy.allowCreateOnUpdate) throw errors.notFound(this.ref, name);
        const object = await mutate(undefined);
        const created = await this.createFromUpdate(namespace, name, object, ctx, options);
        if (created) return { object: created, created: true };
        continue; // someone created it meanwhile: update theirs
      }
      const next = deepCopy(await mutate(this.toServed(deepCopy(current.object))));
      const pinned = next.metadata?.resourceVersion;
      if (pinned && pinned !== String(current.revision)) {
        if (currentIsFresh) throw errors.modified(this.ref, name);
        current = undefined;
        continue;
      }
      const object = await this.prepareUpdate(current.object, next, name, ctx, options);
      if (jsonEqual(object, current.object)) {
        if (currentIsFresh) return { object: this.toServed(current.object), created: false };
        current = undefined;
        continue;
      }
      if (ctx.dryRun) return { object: this.toServed(object), created: false };
      await this.strategy.allocate?.(object, current.object, ctx);
      // An update that clears the last finalizer of a deleted object completes the deletion.
      if (object.metadata.deletionTimestamp && !(object.metadata.finalizers?.length)) {
        const removed = await this.storage.delete(key, current.revision);
        if (removed) {
          await this.strategy.release?.(removed.object, undefined);
          return { object: this.toServed(removed.object), created: false };
        }
      } else {
        const updated = await this.storage.update(key, object, current.revision, this.strategy.ttlSeconds);
        if (updated) {
          await this.strategy.release?.(current.object, object);
          return { object: this.toServed(updated.object), created: false };
        }
      }
      // Lost a race: re-read and re-apply (a PUT with a stale resourceVersion then fails above).
      await this.strategy.release?.(object, current.object);
      current = undefined;
    }
    throw errors.modified(this.ref, name);
  }

  private async createFromUpdate(
    namespace: string | undefined,
    name: string,
    object: KubeObject,
    ctx: OperationContext,
    options: UpdateOptions,
  ): Promise<KubeObject | undefined> {
    const input = deepCopy(object);
    input.metadata ??= {};
    if (input.metadata.name && input.metadata.name !== name) {
      throw errors.badRequest('the name of the object (' + input.metadata.name + ') does not match the name on the URL (' + name + ')');
    }
    input.metadata.name = name;
    delete input.metadata.resourceVersion;
    try {
      return await this.create(namespace, input, ctx, {
        managedFieldsDone: options.managedFieldsDone === true,
        trusted: options.target === 'internal',
      });
    } catch (err) {
      if ((err as { reason?: string }).reason === 'AlreadyExists') return undefined;
      throw err;
    }
  }

  /** `old` is stored; `versioned`, its replacement, is in this endpoint's version. */
  private async prepareUpdate(
    old: KubeObject,
    versioned: KubeObject,
    name: string,
    ctx: OperationContext,
    options: UpdateOptions,
  ): Promise<KubeObject> {
    versioned.metadata ??= {};
    if (versioned.metadata.name !== undefined && versioned.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${versioned.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (versioned.metadata.uid && versioned.metadata.uid !== old.metadata.uid) {
      throw errors.conflict(this.ref, name, `Precondition failed: UID in precondition: ${versioned.metadata.uid}, UID in object meta: ${old.metadata.uid}`);
    }
    versioned.apiVersion = this.apiVersion;
    versioned.kind = this.info.kind;
    versioned.metadata.name = name;
    if (this.info.namespaced) versioned.metadata.namespace = old.metadata.namespace;
    else delete versioned.metadata.namespace;
    applyDefaults(this.gvk, versioned);
    const next = this.toStorage(versioned);
    // Admission sees the object as the client sent it; the strategy then keeps what it may not change.
    const admitted = options.target !== 'internal';
    const subresource = options.subresource ?? (options.target === 'status' ? 'status' : '');
    const attributes = this.attributes('UPDATE', old.metadata.namespace, name, next, old, ctx, subresource);
    if (admitted) await this.admission.admit(attributes);
    let object = next;
    if (options.target === 'status') {
      // A status write changes status only (and, for some kinds, metadata); the rest stays as stored.
      object = deepCopy(old);
      if (next.status !== undefined) object.status = next.status;
      else delete object.status;
      const keeps = this.strategy.statusUpdateKeeps;
      if (keeps) object.metadata = { ...next.metadata, ...(keeps === 'metadata-but-labels' ? { labels: old.metadata.labels } : {}) };
      if (object.metadata.labels === undefined) delete object.metadata.labels;
      if (next.metadata.managedFields) object.metadata.managedFields = next.metadata.managedFields;
    } else if (options.target !== 'internal') {
      if (this.hasStatus) {
        if (old.status !== undefined) object.status = deepCopy(old.status);
        else delete object.status;
      }
      this.strategy.prepareForUpdate?.(object, old, ctx);
    }
    const specChanged = !jsonEqual(specOf(object), specOf(old));
    carryUpdateMeta(object.metadata, old.metadata, specChanged, this.strategy.tracksGeneration === true);
    object.metadata.resourceVersion = old.metadata.resourceVersion;
    // Finalizers may be removed from a deleted object, never added (Kubernetes rejects that too).
    if (old.metadata.deletionTimestamp) {
      const added = (object.metadata.finalizers ?? []).filter((f) => !(old.metadata.finalizers ?? []).includes(f));
      if (added.length > 0) {
        throw errors.invalid(this.info.kind, this.info.group, name, `${this.qualifiedKind()} "${name}" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => `"${f}"`).join(', ')}}`, [
          { reason: 'FieldValueForbidden', message: 'Forbidden: no new finalizers can be added if the object is being deleted', field: 'metadata.finalizers' },
        ]);
      }
    }
    if (admitted) {
      await this.validate(object, old, ctx);
      await this.admission.validate({ ...attributes, object });
    }
    if (changesNothing(object, old)) return old;
    if (options.managedFieldsDone) return object;
    // Field ownership is recorded in the version the manager wrote (as Kubernetes' field manager does).
    const managed = updateManagedFields(this.toServed(old), this.toServed(object), {
      ...this.managedFieldsOptions(ctx),
      ...(options.target === 'status' ? { subresource: 'status' } : {}),
    });
    return this.converts ? withManagedFieldsOf(object, managed) : managed;
  }

  private managedFieldsOptions(ctx: OperationContext) {
    return {
      manager: ctx.fieldManager,
      apiVersion: this.apiVersion,
      now: ctx.now,
      message: schema.kindSchema(this.gvk),
    };
  }

  private async validate(object: KubeObject, old: KubeObject | undefined, ctx: OperationContext): Promise<void> {
    const found: FieldError[] = old
      ? [...validateUpdate(this.storageGvk, this.storageInfo, object, old), ...((await this.strategy.validateUpdate?.(object, old, ctx)) ?? [])]
      : [...validateCreate(this.storageGvk, this.storageInfo, object), ...((await this.strategy.validate?.(object, ctx)) ?? [])];
    if (found.length === 0) return;
    const name = object.metadata.name ?? '';
    throw errors.invalid(
      this.info.kind,
      this.info.group,
      name,
      invalidMessage(this.info.kind, this.info.group, name, found),
      found.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
    );
  }

  /**
   * Both admission phases for a request on a subresource that is not a write of this resource's
   * object — pods/binding, pods/eviction, serviceaccounts/token, connects (exec, attach, …) —
   * before its handler acts.
   */
  async admitSubresource(request: SubresourceRequest, ctx: OperationContext): Promise<void> {
    const attributes: AdmissionAttributes = {
      ...this.attributes(request.operation, request.namespace, request.name, request.object, undefined, ctx, request.subresource, request.options),
      kind: request.kind,
    };
    await this.admission.admit(attributes);
    await this.admission.validate(attributes);
  }

  /** What admission is told about a request on this resource (Kubernetes' admission.Attributes). */
  private attributes(
    operation: AdmissionOperation,
    namespace: string | undefined,
    name: string,
    object: KubeObject | undefined,
    oldObject: KubeObject | undefined,
    ctx: OperationContext,
    subresource = '',
    options?: JsonObject,
  ): AdmissionAttributes {
    return {
      operation,
      resource: { group: this.info.group, version: this.info.version, resource: this.info.resource },
      subresource,
      kind: this.gvk,
      // As Kubernetes' request info, a Namespace is addressed within itself.
      namespace: this.info.namespaced ? (namespace ?? '') : this.info.resource === 'namespaces' && this.info.group === '' ? name : '',
      name,
      ...(object ? { object } : {}),
      ...(oldObject ? { oldObject } : {}),
      user: ctx.user,
      dryRun: ctx.dryRun,
      options: options ?? writeOptions(operation, ctx),
    };
  }

  qualifiedKind(): string {
    return this.info.group ? `${this.info.kind}.${this.info.group}` : this.info.kind;
  }

  /**
   * DELETE: graceful kinds and objects with finalizers get a deletionTimestamp and stay; the
   * rest are removed now. Returns the object as it is after the call (as served) and whether it is gone.
   */
  async delete(
    namespace: string | undefined,
    name: string,
    options: DeleteOptions,
    ctx: OperationContext,
  ): Promise<{ object: KubeObject; deleted: boolean }> {
    const result = await this.deleteStored(namespace, name, options, ctx);
    return { object: this.toServed(result.object), deleted: result.deleted };
  }

  private async deleteStored(
    namespace: string | undefined,
    name: string,
    options: DeleteOptions,
    ctx: OperationContext,
  ): Promise<{ object: KubeObject; deleted: boolean }> {
    const key = this.key(namespace, name);
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      const current = await this.getStored(namespace, name);
      const object = deepCopy(current.object);
      const meta = object.metadata;
      const pre = options.preconditions;
      // Kubernetes checks DELETE preconditions up front (rest.BeforeDelete), naming the kind.
      const kindRef = { group: this.info.group, resource: this.info.kind };
      if (pre?.uid && pre.uid !== meta.uid) {
        throw errors.conflict(
          kindRef,
          name,
          `the UID in the precondition (${pre.uid}) does not match the UID in record (${meta.uid}). The object might have been deleted and then recreated`,
        );
      }
      if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
        throw errors.conflict(
          kindRef,
          name,
          `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${meta.resourceVersion}). The object might have been modified`,
        );
      }
      const attributes = this.attributes('DELETE', namespace, name, undefined, current.object, ctx, '', options as JsonObject);
      await this.admission.admit(attributes);
      await this.admission.validate(attributes);
      const grace = this.strategy.gracePeriodSeconds?.(object, options);
      const finalizers = new Set(meta.finalizers ?? []);
      const policy = options.propagationPolicy ?? (options.orphanDependents ? 'Orphan' : undefined);
      if (policy === 'Orphan') finalizers.add('orphan');
      if (policy === 'Foreground') finalizers.add('foregroundDeletion');
      const alreadyDeleting = meta.deletionTimestamp != null;
      const keptByStrategy = this.strategy.keepOnDelete?.(object) === true;
      if (finalizers.size === 0 && grace === undefined && !keptByStrategy) {
        if (ctx.dryRun) return { object, deleted: true };
        const removed = await this.storage.delete(key, current.revision);
        if (!removed) continue;
        await this.strategy.release?.(removed.object, undefined);
        return { object: removed.object, deleted: true };
      }
      if (alreadyDeleting) {
        // A second DELETE may only shorten the grace period.
        const shorter = grace !== undefined && grace < (meta.deletionGracePeriodSeconds ?? Infinity);
        if (!shorter) return { object: current.object, deleted: false };
      }
      meta.finalizers = [...finalizers];
      if (meta.finalizers.length === 0) delete meta.finalizers;
      const graceSeconds = grace ?? 0;
      meta.deletionTimestamp = timestamp(new Date(ctx.now.getTime() + graceSeconds * 1000));
      meta.deletionGracePeriodSeconds = graceSeconds;
      if (this.strategy.tracksGeneration) meta.generation = (meta.generation ?? 0) + 1;
      this.strategy.prepareForDelete?.(object, ctx);
      if (ctx.dryRun) return { object, deleted: false };
      // Grace 0 with no finalizers: nothing is waiting for it, remove now.
      if (graceSeconds === 0 && !meta.finalizers?.length && !keptByStrategy) {
        const removed = await this.storage.delete(key, current.revision);
        if (!removed) continue;
        await this.strategy.release?.(removed.object, undefined);
        return { object: removed.object, deleted: true };
      }
      const updated = await this.storage.update(key, object, current.revision, this.strategy.ttlSeconds);
      if (!updated) continue;
      return { object: updated.object, deleted: false };
    }
    throw errors.modified(this.ref, name);
  }
}

/** The CreateOptions or UpdateOptions a write carried, as admission plugins see them. */
function writeOptions(operation: AdmissionOperation, ctx: OperationContext): JsonObject {
  return {
    kind: operation === 'CREATE' ? 'CreateOptions' : 'UpdateOptions',
    apiVersion: 'meta.k8s.io/v1',
    fieldManager: ctx.fieldManager,
    ...(ctx.dryRun ? { dryRun: ['All'] } : {}),
  };
}

/** `object` with the managedFields computed on another version of it. */
function withManagedFieldsOf(object: KubeObject, computed: KubeObject): KubeObject {
  const { managedFields: _own, ...metadata } = object.metadata;
  return { ...object, metadata: computed.metadata.managedFields ? { ...metadata, managedFields: computed.metadata.managedFields } : metadata };
}
