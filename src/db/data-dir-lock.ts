import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class DataDirectoryInUseError extends Error {
  constructor(directory: string, pid: number) {
    super(`UCP_DATA_DIR ${directory} is in use by another running server (pid ${pid}); stop it or choose another folder`);
    this.name = 'DataDirectoryInUseError';
  }
}

/**
 * Embedded PostgreSQL is a single process's database: two servers opening the same folder would
 * corrupt it. A lock file holding the owner's pid keeps a second server out; a lock left by a
 * process that has died is taken over.
 */
export async function lockDataDirectory(directory: string): Promise<() => Promise<void>> {
  await mkdir(directory, { recursive: true });
  const lockFile = join(directory, 'ucp.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockFile, String(process.pid), { flag: 'wx' });
      return () => rm(lockFile, { force: true });
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      const owner = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
        throw new DataDirectoryInUseError(directory, owner);
      }
      await rm(lockFile, { force: true });
    }
  }
  throw new Error(`could not lock UCP_DATA_DIR ${directory}`);
}

function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'EEXIST';
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}
