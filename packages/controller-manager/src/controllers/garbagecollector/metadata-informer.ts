// Metadata-only informers (client-go's metadatainformer): the garbage collector watches every
// resource in the cluster, so it keeps only what it reads — apiVersion, kind and metadata —
// never whole objects (a cluster's Secrets, ConfigMaps and pods' specs would otherwise all be
// held twice). Our apiserver does not serve the PartialObjectMetadata form yet, so the full
// objects are read and cut down as they arrive; managedFields are dropped too, since nothing
// here reads them and they are often the largest part of the metadata.
import type { KubeList, KubeObject } from '@k8ts/api';
import { SharedIndexInformer, type Clock, type ListerWatcher, type Logger, type ResourceClient, type Watch, type WatchEvent } from '@k8ts/client';

export function metadataOnly(obj: KubeObject): KubeObject {
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata };
}

function metadataWatch(watch: Watch<KubeObject>): Watch<KubeObject> {
  return {
    stop: () => watch.stop(),
    async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<KubeObject>> {
      for await (const event of watch) yield event.type === 'ERROR' ? event : { type: event.type, object: metadataOnly(event.object) };
    },
  };
}

export function metadataListerWatcher(client: ResourceClient<KubeObject>): ListerWatcher<KubeObject> {
  return {
    async list(options, signal): Promise<KubeList<KubeObject>> {
      const list = await client.list({ ...options, signal });
      return { ...list, items: list.items.map(metadataOnly) };
    },
    async watch(options, signal) {
      return metadataWatch(await client.watch({ ...options, signal }));
    },
  };
}

export function newMetadataInformer(
  client: ResourceClient<KubeObject>,
  options: { description: string; clock: Clock; random?: () => number; logger: Logger },
): SharedIndexInformer<KubeObject> {
  return new SharedIndexInformer(metadataListerWatcher(client), { resyncPeriodMs: 0, ...options });
}
