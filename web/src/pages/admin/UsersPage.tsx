import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { decideRoleGrant, listOrganisations, listUsers, openRoleGrants, type AdminUser, type RoleGrant } from '../../api/admin-api';
import { hasRole, useSignedIn } from '../../app/session-context';
import { useLoaded } from '../../app/use-loaded';
import { AppLink } from '../../components/app-link';
import { Button } from '../../components/button/Button';
import { ErrorSummary } from '../../components/error-summary/ErrorSummary';
import { Input } from '../../components/input/Input';
import { Select } from '../../components/select/Select';
import { Table } from '../../components/table/Table';
import { problemText, roleNames, secondFactorText, UserStatusTag } from './admin-format';

/** The users of the organisation (a platform administrator's: any, or all), searchable; the search is in the address. */
export function UsersPage() {
  const session = useSignedIn();
  const [params, setParams] = useSearchParams();
  const organisation = params.get('organisation') ?? session.organisation.odsCode;
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const users = useLoaded(() => listUsers({ organisation, q }), `${organisation}|${q}`);
  const platformAdmin = hasRole(session, 'platform-admin');

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams(params);
    if (search.trim()) next.set('q', search.trim());
    else next.delete('q');
    setParams(next);
  }

  return (
    <>
      <h1>Users</h1>
      <Button href="/admin/users/new" text="Add a user" variant="secondary" />
      <RoleRequests />
      <form onSubmit={submit} role="search" aria-label="Users">
        {platformAdmin && <OrganisationChoice value={organisation} onChange={(value) => setParams({ organisation: value })} />}
        <Input
          id="q"
          label={{ text: 'Search by name, email address or username' }}
          value={search}
          onChange={setSearch}
          classes="nhsuk-input--width-20"
        />
        <Button text="Search" variant="secondary" />
      </form>
      {users.status === 'loading' && <p role="status">Loading users…</p>}
      {users.status === 'failed' && <ErrorSummary errorList={[{ text: problemText(users.error, 'The users could not be loaded.') }]} />}
      {users.status === 'loaded' && <UserTable users={users.value.users} total={users.value.total} />}
    </>
  );
}

function OrganisationChoice({ value, onChange }: { value: string; onChange(value: string): void }) {
  const organisations = useLoaded(listOrganisations, 'organisations');
  const items = [
    { value: 'all', text: 'Every organisation' },
    ...(organisations.status === 'loaded'
      ? organisations.value.map((each) => ({ value: each.odsCode, text: `${each.name} (${each.odsCode})` }))
      : []),
  ];
  if (!items.some((item) => item.value === value)) items.push({ value, text: value });
  return <Select id="organisation" label={{ text: 'Organisation' }} items={items} value={value} onChange={onChange} />;
}

function UserTable({ users, total }: { users: readonly AdminUser[]; total: number }) {
  if (users.length === 0) return <p>No users match.</p>;
  return (
    <Table
      caption={total > users.length ? `Users: the first ${users.length} of ${total}` : `Users (${total})`}
      head={['Name', 'Roles', 'Status', 'Second factor']}
      rows={users.map((user) => [
        <AppLink key="name" href={`/admin/users/${user.id}`}>
          {user.displayName}
        </AppLink>,
        user.memberships.map((membership) => `${roleNames(membership.roles)} (${membership.odsCode})`).join('; ') || 'None',
        <UserStatusTag key="status" status={user.status} />,
        secondFactorText(user),
      ])}
    />
  );
}

/** Privileged roles asked for by another administrator, waiting for a second one. */
function RoleRequests() {
  const [version, setVersion] = useState(0);
  const [problem, setProblem] = useState<string | undefined>();
  const grants = useLoaded(openRoleGrants, `grants-${version}`);
  if (grants.status !== 'loaded' || grants.value.length === 0) return null;
  async function decide(grant: RoleGrant, decision: 'approve' | 'refuse') {
    try {
      await decideRoleGrant(grant.id, decision);
      setProblem(undefined);
    } catch (failure) {
      setProblem(problemText(failure, 'The decision was not recorded. Try again.'));
    }
    setVersion((current) => current + 1);
  }
  return (
    <section aria-labelledby="role-requests">
      <h2 id="role-requests">Role requests waiting for a second administrator</h2>
      {problem && <ErrorSummary errorList={[{ text: problem }]} />}
      <Table
        caption="Privileged roles asked for"
        head={['Person', 'Role', 'Decision']}
        rows={grants.value.map((grant) => [
          <AppLink key="user" href={`/admin/users/${grant.userId}`}>
            See the person
          </AppLink>,
          roleNames([grant.role]),
          <div key="decide" className="nhsuk-button-group">
            <Button small type="button" onClick={() => void decide(grant, 'approve')}>
              Approve<span className="nhsuk-u-visually-hidden"> {roleNames([grant.role])}</span>
            </Button>
            <Button small type="button" variant="secondary" onClick={() => void decide(grant, 'refuse')}>
              Refuse<span className="nhsuk-u-visually-hidden"> {roleNames([grant.role])}</span>
            </Button>
          </div>,
        ])}
      />
    </section>
  );
}
