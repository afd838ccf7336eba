/**
 * PostgreSQL connection URLs as libpq reads them, including several hosts
 * (`postgres://user@host1:5432,host2:5433/db?target_session_attrs=read-write`, the form
 * `pg_autoctl show uri` prints): `pg` takes one host only, so a multi-host URL is split into one
 * URL per host, in order, each with the same user, password, database and parameters. The
 * parameters only libpq understands for choosing among hosts are dropped: choosing the primary
 * is done here (pg-database.ts), by asking each candidate.
 */
const MULTI_HOST_ONLY = new Set(['target_session_attrs', 'load_balance_hosts']);

export function postgresCandidates(url: string): string[] {
  const match = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^/?#]*)(.*)$/.exec(url);
  if (!match) throw new Error('not a postgres:// URL');
  const [, scheme = '', credentials = '', hosts = '', rest = ''] = match;
  const candidates = hosts.split(',').map((host) => `${scheme}${credentials}${host}${withoutMultiHostParameters(rest)}`);
  for (const candidate of candidates) if (!URL.canParse(candidate)) throw new Error('a host in the URL is not valid');
  return candidates;
}

function withoutMultiHostParameters(rest: string): string {
  const query = rest.indexOf('?');
  if (query < 0) return rest;
  const parameters = new URLSearchParams(rest.slice(query + 1));
  for (const name of MULTI_HOST_ONLY) parameters.delete(name);
  const kept = parameters.toString();
  return `${rest.slice(0, query)}${kept === '' ? '' : `?${kept}`}`;
}
