// The few file-system steps that make a write survive power loss. A file's data is durable once
// it is fsync'd; its *name* (creation, rename, removal) is durable only once the directory that
// holds it is fsync'd too. Shared by the WAL and the snapshot store.
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** fsync a directory so that entries created, renamed or removed in it survive a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates dir and any missing parents, fsyncing the parent of each directory it creates. */
export async function mkdirDurably(dir: string): Promise<void> {
  const firstCreated = await mkdir(dir, { recursive: true });
  if (firstCreated === undefined) return;
  const top = path.resolve(firstCreated);
  for (let level = path.resolve(dir); ; level = path.dirname(level)) {
    await fsyncDir(path.dirname(level));
    if (level === top) break;
  }
}

/** Writes all of buf at the handle's current position; a single write() may be partial. */
export async function writeFully(handle: FileHandle, buf: Uint8Array): Promise<void> {
  let written = 0;
  while (written < buf.length) {
    const { bytesWritten } = await handle.write(buf, written, buf.length - written);
    written += bytesWritten;
  }
}

/**
 * Creates `file` with exactly `chunks` as its content, all or nothing: the bytes go to
 * `file.tmp`, are fsync'd, and the temporary is renamed into place and the directory fsync'd.
 * After a crash, `file` either does not exist or is complete; a stale `.tmp` may remain.
 */
export async function writeFileAtomically(file: string, chunks: Uint8Array[]): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    for (const chunk of chunks) await writeFully(handle, chunk);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  await fsyncDir(path.dirname(file));
}
