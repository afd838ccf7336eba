import { describe, expect, it } from 'vitest';
import { postgresCandidates } from './postgres-url.js';

describe('PostgreSQL URLs with several hosts, as libpq and pg_autoctl write them', () => {
  it('keeps a one-host URL as it is', () => {
    expect(postgresCandidates('postgres://ucp:secret@db.example:5432/ucp?sslmode=require')).toEqual([
      'postgres://ucp:secret@db.example:5432/ucp?sslmode=require',
    ]);
  });

  it('splits several hosts into one URL each, in order, with the same credentials, database and parameters', () => {
    expect(
      postgresCandidates('postgresql://ucp:secret@node-a:5432,node-b:6543/ucp?target_session_attrs=read-write&sslmode=prefer'),
    ).toEqual(['postgresql://ucp:secret@node-a:5432/ucp?sslmode=prefer', 'postgresql://ucp:secret@node-b:6543/ucp?sslmode=prefer']);
  });

  it('refuses what is not a postgres URL or has a host that is not one', () => {
    expect(() => postgresCandidates('mysql://x@db/ucp')).toThrow('not a postgres:// URL');
    expect(() => postgresCandidates('postgres://u@good:5432,bad host:5432/ucp')).toThrow('not valid');
  });
});
