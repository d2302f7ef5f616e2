// The snapshot store: a directory of snapshot files named `<term>-<index>.snap` (16 hex digits
// each, as etcd names them). Files are written whole or not at all, and a file that fails its
// checks at load time is set aside as `*.broken` (kept for inspection) so the next-newest one
// can be used; the WAL still holds the entries after that older snapshot unless it was purged.
import { readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { SnapshotMetadata } from '../raft/types.ts';
import { fsyncDir, mkdirDurably, writeFileAtomically } from '../wal/durable-fs.ts';
import { decodeSnapshotFile, SnapshotCorruptError, snapshotFileParts } from './snapshot-file.ts';

export { decodeSnapshotFile, encodeSnapshotFile, SnapshotCorruptError } from './snapshot-file.ts';

export interface SkippedSnapshot {
  /** The path the file had. */
  file: string;
  /** Where it was moved. */
  renamedTo: string;
  problem: string;
}

export interface LoadedSnapshot {
  metadata: SnapshotMetadata;
  body: Buffer;
  file: string;
  /** Newer snapshot files that failed their checks, newest first. */
  skipped: SkippedSnapshot[];
}

interface SnapshotName {
  term: number;
  index: number;
  file: string;
}

const SNAPSHOT_PATTERN = /^([0-9a-f]{16})-([0-9a-f]{16})\.snap$/;

export function snapshotFileName(term: number, index: number): string {
  return `${term.toString(16).padStart(16, '0')}-${index.toString(16).padStart(16, '0')}.snap`;
}

export class Snapshotter {
  constructor(private readonly dir: string) {}

  /** Writes the snapshot durably (temporary file, fsync, rename, directory fsync); returns its path. */
  async save(metadata: SnapshotMetadata, body: Uint8Array): Promise<string> {
    await mkdirDurably(this.dir);
    const file = path.join(this.dir, snapshotFileName(metadata.term, metadata.index));
    await writeFileAtomically(file, snapshotFileParts(metadata, body));
    return file;
  }

  /**
   * The newest snapshot that passes its checks, or undefined if there is none. Broken files on
   * the way are renamed to `*.broken` and listed in `skipped`. Meant for startup: it also deletes
   * `*.snap.tmp` files left by a save that a crash interrupted.
   */
  async loadNewest(): Promise<LoadedSnapshot | undefined> {
    await this.removeStaleTemporaries();
    const skipped: SkippedSnapshot[] = [];
    for (const name of await this.list()) {
      const file = path.join(this.dir, name.file);
      try {
        const { metadata, body } = decodeSnapshotFile(await readFile(file));
        if (metadata.term !== name.term || metadata.index !== name.index) {
          throw new SnapshotCorruptError(
            `its metadata says term ${metadata.term} index ${metadata.index}, which does not match its name`);
        }
        return { metadata, body, file, skipped };
      } catch (err) {
        if (!(err instanceof SnapshotCorruptError)) throw err;
        const renamedTo = `${file}.broken`;
        await rename(file, renamedTo);
        await fsyncDir(this.dir);
        skipped.push({ file, renamedTo, problem: err.problem });
      }
    }
    return undefined;
  }

  /** Deletes all but the newest `keep` snapshot files; returns the removed names. */
  async purge(keep = 5): Promise<string[]> {
    const doomed = (await this.list()).slice(keep).map((name) => name.file);
    for (const file of doomed) await unlink(path.join(this.dir, file));
    if (doomed.length > 0) await fsyncDir(this.dir);
    return doomed;
  }

  /** Snapshot files, newest first (highest index, then highest term). */
  private async list(): Promise<SnapshotName[]> {
    const names: SnapshotName[] = [];
    for (const file of await this.readDir()) {
      const match = SNAPSHOT_PATTERN.exec(file);
      if (match) names.push({ term: parseInt(match[1], 16), index: parseInt(match[2], 16), file });
    }
    return names.sort((a, b) => b.index - a.index || b.term - a.term);
  }

  private async removeStaleTemporaries(): Promise<void> {
    const stale = (await this.readDir()).filter((file) => file.endsWith('.snap.tmp'));
    for (const file of stale) await unlink(path.join(this.dir, file));
    if (stale.length > 0) await fsyncDir(this.dir);
  }

  /** The directory's file names; none if it does not exist yet. */
  private async readDir(): Promise<string[]> {
    try {
      return await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}
