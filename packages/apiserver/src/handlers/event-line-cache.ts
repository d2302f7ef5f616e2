// A watch event's JSON line, encoded once for all the watchers it goes to rather than once per
// watcher (Kubernetes' apiserver caches an event's serialization per encoding the same way).
// The watch cache hands each event to every subscriber before it takes the next one, so the
// lines of the latest event are all that is worth keeping, which also bounds the memory.
// Lines are kept as they go on the wire (`L`: bytes), so not even the UTF-8 encoding repeats.
export class EventLineCache<E extends object, L> {
  private event: E | undefined;
  private readonly lines = new Map<string, L>();

  /** The line of `event` in `variant` (what else the encoding depends on), encoded on first use. */
  line(event: E, variant: string, encode: () => L): L {
    if (event !== this.event) {
      this.event = event;
      this.lines.clear();
    }
    let line = this.lines.get(variant);
    if (line === undefined) this.lines.set(variant, (line = encode()));
    return line;
  }
}
