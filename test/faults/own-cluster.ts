import { execFile } from 'node:child_process';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../process/server-process.js';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of a test's own, on a free port in a temporary folder, that the test may
 * stop and start at will without touching the machine's server. Made with the machine's own
 * PostgreSQL binaries (initdb, pg_ctl); as root they run as the `postgres` user, since PostgreSQL
 * refuses to run as root.
 */
export interface OwnCluster {
  url: string;
  port: number;
  start(): Promise<void>;
  /** `immediate` is a crash as far as the data is concerned: no checkpoint, recovery from WAL at the next start. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Ends a standby's recovery: it becomes a primary. */
  promote(): Promise<void>;
  destroy(): Promise<void>;
}

/** The newest installed PostgreSQL's bin folder, or undefined when there is none. */
export async function postgresBinaries(): Promise<string | undefined> {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = (await readdir(root)).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

type Tool = (name: string, args: string[]) => Promise<unknown>;

/** A temporary folder the `postgres` user owns (as root), and a runner for PostgreSQL's tools in it. */
async function clusterFolder(): Promise<{ bin: string; folder: string; tool: Tool }> {
  const bin = await postgresBinaries();
  if (!bin) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
  const folder = await mkdtemp(join(tmpdir(), 'ucp-cluster-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(folder, Number(stdout.trim()), Number(gid.trim()));
  }
  const tool: Tool = (name, args) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, name), ...args]) : run(join(bin, name), args);
  return { bin, folder, tool };
}

async function clusterIn(folder: string, tool: Tool): Promise<OwnCluster> {
  const data = join(folder, 'data');
  const port = await freePort();
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c max_connections=50 -c shared_buffers=32MB`;
  const cluster: OwnCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await tool('pg_ctl', ['-D', data, '-o', options, '-l', join(folder, 'log'), '-w', '-t', '60', 'start']);
    },
    async stop(mode = 'fast') {
      await tool('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
    },
    async promote() {
      await tool('pg_ctl', ['-D', data, '-w', '-t', '60', 'promote']);
    },
    async destroy() {
      await cluster.stop('immediate').catch(() => undefined);
      await rm(folder, { recursive: true, force: true });
    },
  };
  return cluster;
}

export async function createOwnCluster(): Promise<OwnCluster> {
  const { folder, tool } = await clusterFolder();
  await tool('initdb', ['-D', join(folder, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
  const cluster = await clusterIn(folder, tool);
  await cluster.start();
  return cluster;
}

/**
 * A hot standby of `primary`, streaming from it: a base backup (`pg_basebackup -R`, which also
 * writes the standby's connection to the primary), started on a port of its own.
 */
export async function createStandbyOf(primary: OwnCluster): Promise<OwnCluster> {
  const { folder, tool } = await clusterFolder();
  await tool('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    join(folder, 'data'),
    '-R',
    '-X',
    'stream',
  ]);
  const standby = await clusterIn(folder, tool);
  await standby.start();
  return standby;
}
