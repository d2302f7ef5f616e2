// The EndpointSliceTracker: the generation of every slice this controller last wrote, per
// service. The informer echoes the controller's own writes back; the tracker tells those
// (nothing to do) from changes made by someone else (resync the service), and tells a sync that
// its cache has not yet caught up with its own writes (the sync fails and is retried, instead
// of acting on stale slices and, say, creating a duplicate).
import { SERVICE_NAME_LABEL, type EndpointSlice, type Service } from './util/types.ts';

/** A slice this controller deleted, whose deletion the cache has yet to show. */
const DELETION_EXPECTED = -1;

function serviceKeyOf(slice: EndpointSlice): string | undefined {
  const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return service === undefined ? undefined : `${slice.metadata.namespace ?? ''}/${service}`;
}

const generationOf = (slice: EndpointSlice): number => slice.metadata.generation ?? 0;

export class EndpointSliceTracker {
  /** service key → slice uid → generation */
  private readonly generations = new Map<string, Map<string, number>>();

  private forSlice(slice: EndpointSlice): Map<string, number> | undefined {
    const key = serviceKeyOf(slice);
    return key === undefined ? undefined : this.generations.get(key);
  }

  has(slice: EndpointSlice): boolean {
    return this.forSlice(slice)?.has(slice.metadata.uid ?? '') ?? false;
  }

  /** Whether a slice seen by the informer is news: not written by us, or changed since. */
  shouldSync(slice: EndpointSlice): boolean {
    const known = this.forSlice(slice)?.get(slice.metadata.uid ?? '');
    return known === undefined || generationOf(slice) > known;
  }

  /**
   * Whether the cached slices lag behind our writes: a slice older than we wrote it, one we
   * deleted still there, or one we created not there yet.
   */
  staleSlices(service: Service, slices: EndpointSlice[]): boolean {
    const known = this.generations.get(`${service.metadata.namespace ?? ''}/${service.metadata.name}`);
    if (!known) return false;
    const seen = new Set<string>();
    for (const slice of slices) {
      const uid = slice.metadata.uid ?? '';
      seen.add(uid);
      const generation = known.get(uid);
      if (generation !== undefined && (generation === DELETION_EXPECTED || generation > generationOf(slice))) return true;
    }
    for (const [uid, generation] of known) if (generation !== DELETION_EXPECTED && !seen.has(uid)) return true;
    return false;
  }

  /** Records a slice as written (created or updated) by us. */
  update(slice: EndpointSlice): void {
    const key = serviceKeyOf(slice);
    if (key === undefined) return;
    let known = this.generations.get(key);
    if (!known) this.generations.set(key, (known = new Map()));
    known.set(slice.metadata.uid ?? '', generationOf(slice));
  }

  expectDeletion(slice: EndpointSlice): void {
    const key = serviceKeyOf(slice);
    if (key === undefined) return;
    let known = this.generations.get(key);
    if (!known) this.generations.set(key, (known = new Map()));
    known.set(slice.metadata.uid ?? '', DELETION_EXPECTED);
  }

  /** Forgets a deleted slice; false when the deletion was not ours (so the service needs a resync). */
  handleDeletion(slice: EndpointSlice): boolean {
    const known = this.forSlice(slice);
    if (!known) return true;
    const uid = slice.metadata.uid ?? '';
    const generation = known.get(uid);
    known.delete(uid);
    return generation === undefined || generation === DELETION_EXPECTED;
  }

  deleteService(namespace: string, name: string): void {
    this.generations.delete(`${namespace}/${name}`);
  }
}
