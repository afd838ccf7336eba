import { useState, type FormEvent } from 'react';
import { listOrganisations, registerClient, ROLE_CHOICES, SCOPE_CHOICES, type ClientWithSecret, type NewClient } from '../../api/admin-api';
import { useLoaded } from '../../app/use-loaded';
import { BackLink } from '../../components/back-link/BackLink';
import { Button } from '../../components/button/Button';
import { Checkboxes } from '../../components/checkboxes/Checkboxes';
import { ErrorSummary, type ErrorSummaryItem } from '../../components/error-summary/ErrorSummary';
import { Input } from '../../components/input/Input';
import { Select } from '../../components/select/Select';
import { problemText } from './admin-format';
import { SecretOnce } from './SecretOnce';

const EMPTY = { name: '', clientId: '', organisation: '' };

function problemsOf(form: typeof EMPTY, roles: readonly string[], scopes: readonly string[]): ErrorSummaryItem[] {
  const problems: ErrorSummaryItem[] = [];
  if (!form.name.trim()) problems.push({ text: 'Enter who or what uses the client', href: '#name' });
  if (form.clientId && !/^[A-Za-z0-9._~-]{1,128}$/.test(form.clientId))
    problems.push({ text: 'A client id has only letters, digits and . _ ~ -', href: '#clientId' });
  if (!form.organisation) problems.push({ text: 'Select the organisation the client acts for', href: '#organisation' });
  if (roles.length === 0) problems.push({ text: 'Select at least one role', href: '#client-roles' });
  if (scopes.length === 0) problems.push({ text: 'Select at least one scope', href: '#scopes' });
  return problems;
}

/** Registers a machine client with the fewest roles and scopes it needs; its secret is shown once. */
export function NewClientPage() {
  const organisations = useLoaded(listOrganisations, 'organisations');
  const [form, setForm] = useState(EMPTY);
  const [roles, setRoles] = useState<NewClient['roles']>([]);
  const [scopes, setScopes] = useState<NewClient['scopes']>([]);
  const [errors, setErrors] = useState<ErrorSummaryItem[]>([]);
  const [created, setCreated] = useState<ClientWithSecret | undefined>();
  const set = (field: keyof typeof EMPTY) => (value: string) => setForm((current) => ({ ...current, [field]: value }));
  const error = (id: string) => {
    const found = errors.find((item) => item.href === `#${id}`);
    return found ? { errorMessage: { text: found.text } } : {};
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems = problemsOf(form, roles, scopes);
    setErrors(problems);
    if (problems.length > 0) return;
    try {
      const clientId = form.clientId.trim();
      setCreated(
        await registerClient({ name: form.name.trim(), organisation: form.organisation, roles, scopes, ...(clientId ? { clientId } : {}) }),
      );
      setForm(EMPTY);
      setRoles([]);
      setScopes([]);
    } catch (failure) {
      setErrors([{ text: problemText(failure, 'The client was not registered. Try again.') }]);
    }
  }

  const organisationItems = [
    { value: '', text: 'Choose an organisation' },
    ...(organisations.status === 'loaded'
      ? organisations.value.map((each) => ({ value: each.odsCode, text: `${each.name} (${each.odsCode})` }))
      : []),
  ];
  return (
    <>
      <BackLink href="/admin/clients" text="Machine clients" />
      {created && <SecretOnce created={created} />}
      <form onSubmit={(event) => void submit(event)} noValidate>
        {errors.length > 0 && <ErrorSummary errorList={errors} />}
        <h1>Register a machine client</h1>
        <ClientFields
          form={form}
          set={set}
          organisations={organisationItems}
          roles={roles}
          setRoles={setRoles}
          scopes={scopes}
          setScopes={setScopes}
          error={error}
        />
        <Button text="Register client" />
      </form>
    </>
  );
}

interface ClientFieldsProps {
  form: typeof EMPTY;
  set(field: keyof typeof EMPTY): (value: string) => void;
  organisations: { value: string; text: string }[];
  roles: NewClient['roles'];
  setRoles(roles: NewClient['roles']): void;
  scopes: NewClient['scopes'];
  setScopes(scopes: NewClient['scopes']): void;
  error(id: string): { errorMessage?: { text: string } };
}

/** The new client's fields, each with its error message after a failed submit. */
function ClientFields({ form, set, organisations, roles, setRoles, scopes, setScopes, error }: ClientFieldsProps) {
  return (
    <>
      <Input
        id="name"
        label={{ text: 'Who or what uses it' }}
        hint={{ text: 'For example, Riverside Practice record system' }}
        value={form.name}
        onChange={set('name')}
        {...error('name')}
      />
      <Input
        id="clientId"
        label={{ text: 'Client id (optional)' }}
        hint={{ text: 'Leave it empty to have one made up' }}
        classes="nhsuk-input--width-20"
        spellcheck={false}
        value={form.clientId}
        onChange={set('clientId')}
        {...error('clientId')}
      />
      <Select
        id="organisation"
        label={{ text: 'Organisation it acts for' }}
        items={organisations}
        value={form.organisation}
        onChange={set('organisation')}
        {...error('organisation')}
      />
      <Checkboxes
        idPrefix="client-roles"
        fieldset={{ legend: { text: 'Roles', size: 's' } }}
        items={ROLE_CHOICES}
        values={roles}
        onChange={setRoles}
        {...error('client-roles')}
      />
      <Checkboxes
        idPrefix="scopes"
        fieldset={{ legend: { text: 'Scopes', size: 's' } }}
        hint={{ text: 'Only what it needs: its tokens can carry no more.' }}
        items={SCOPE_CHOICES}
        values={scopes}
        onChange={setScopes}
        {...error('scopes')}
      />
    </>
  );
}
