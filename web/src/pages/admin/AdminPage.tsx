import { useState, type FormEvent } from 'react';
import { ApiProblem, getJson, request } from '../../api/http';
import { Main } from '../../app/Layout';
import { hasRole, useSignedIn } from '../../app/session-context';
import { useLoaded } from '../../app/use-loaded';
import { Button } from '../../components/button/Button';
import { Checkboxes } from '../../components/checkboxes/Checkboxes';
import { ErrorSummary, type ErrorSummaryItem } from '../../components/error-summary/ErrorSummary';
import { Input } from '../../components/input/Input';
import { NotificationBanner } from '../../components/notification-banner/NotificationBanner';
import { Table } from '../../components/table/Table';
import { Tag } from '../../components/tag/Tag';

interface Organisation {
  odsCode: string;
  name: string;
  kind: string;
  ics: string;
  dataSecurityStatus: string;
}

/** Roles an organisation administrator may give: never the platform's own (nobody grants themselves rights). */
const ROLES = [
  { value: 'viewer', text: 'Viewer: reads plans (ambulance crews, NHS 111)' },
  { value: 'contributor', text: 'Contributor: non-clinical sections (care home staff)' },
  { value: 'clinician', text: 'Clinician: writes and publishes plans' },
  { value: 'senior-clinician', text: 'Senior clinician: ReSPECT and CPR decisions, approval' },
  { value: 'org-admin', text: 'Organisation administrator' },
  { value: 'auditor', text: 'Auditor' },
];

/** Administration: the organisations taking part, and an organisation's administrator adding its users. */
export function AdminPage() {
  const session = useSignedIn();
  const organisations = useLoaded(() => getJson<Organisation[]>('/api/organisations'), 'organisations');
  return (
    <Main>
      <h1>
        <span className="nhsuk-caption-l">{session.organisation.name}</span>
        Administration
      </h1>
      {hasRole(session, 'org-admin', 'platform-admin') && <AddUser organisation={session.organisation.name} />}
      <h2>Organisations</h2>
      {organisations.status === 'loaded' && (
        <Table
          caption="Organisations taking part"
          head={['Organisation', 'ODS code', 'Kind', 'Integrated care system', 'Data security']}
          rows={organisations.value.map((organisation) => [
            organisation.name,
            organisation.odsCode,
            organisation.kind.replace(/-/g, ' '),
            organisation.ics,
            <Tag
              key="dspt"
              text={organisation.dataSecurityStatus.replace(/-/g, ' ')}
              colour={organisation.dataSecurityStatus === 'standards-met' ? 'green' : 'red'}
            />,
          ])}
        />
      )}
    </Main>
  );
}

function AddUser({ organisation }: { organisation: string }) {
  const empty = { displayName: '', email: '', username: '', temporaryPassword: '', professionalRegistrationId: '' };
  const [form, setForm] = useState(empty);
  const [roles, setRoles] = useState<string[]>([]);
  const [errors, setErrors] = useState<ErrorSummaryItem[]>([]);
  const [created, setCreated] = useState<string | undefined>();
  const set = (field: keyof typeof form) => (value: string) => setForm((current) => ({ ...current, [field]: value }));
  const error = (id: string) => errors.find((item) => item.href === `#${id}`);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems: ErrorSummaryItem[] = [];
    if (!form.displayName.trim()) problems.push({ text: 'Enter the person’s full name', href: '#displayName' });
    if (!/^\S+@\S+\.\S+$/.test(form.email.trim()))
      problems.push({ text: 'Enter an email address in the correct format, like name@example.nhs.uk', href: '#email' });
    if (form.username.trim().length < 3) problems.push({ text: 'Enter a username of at least 3 characters', href: '#username' });
    if (roles.length === 0) problems.push({ text: 'Select at least one role', href: '#roles' });
    if (form.temporaryPassword.length < 12)
      problems.push({ text: 'Enter a temporary password of at least 12 characters', href: '#temporaryPassword' });
    setErrors(problems);
    if (problems.length > 0) return;
    try {
      await request('/api/users', {
        method: 'POST',
        body: {
          displayName: form.displayName.trim(),
          email: form.email.trim(),
          username: form.username.trim(),
          temporaryPassword: form.temporaryPassword,
          roles,
          ...(form.professionalRegistrationId.trim() ? { professionalRegistrationId: form.professionalRegistrationId.trim() } : {}),
        },
      });
      setCreated(
        `${form.displayName.trim()} can now sign in as ${form.username.trim()}. They must change the temporary password when they first sign in.`,
      );
      setForm(empty);
      setRoles([]);
    } catch (failure) {
      setErrors([{ text: failure instanceof ApiProblem ? failure.detail : 'The user could not be added. Try again.' }]);
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      {errors.length > 0 && <ErrorSummary errorList={errors} />}
      {created && (
        <NotificationBanner type="success">
          <p className="nhsuk-notification-banner__heading">{created}</p>
        </NotificationBanner>
      )}
      <h2>Add a user to {organisation}</h2>
      <Input
        id="displayName"
        label={{ text: 'Full name' }}
        autocomplete="off"
        value={form.displayName}
        onChange={set('displayName')}
        {...(error('displayName') ? { errorMessage: { text: error('displayName')?.text ?? '' } } : {})}
      />
      <Input
        id="email"
        label={{ text: 'Email address' }}
        type="email"
        autocomplete="off"
        spellcheck={false}
        value={form.email}
        onChange={set('email')}
        {...(error('email') ? { errorMessage: { text: error('email')?.text ?? '' } } : {})}
      />
      <Input
        id="username"
        label={{ text: 'Username' }}
        autocomplete="off"
        spellcheck={false}
        classes="nhsuk-input--width-20"
        value={form.username}
        onChange={set('username')}
        {...(error('username') ? { errorMessage: { text: error('username')?.text ?? '' } } : {})}
      />
      <Input
        id="professionalRegistrationId"
        label={{ text: 'Professional registration (optional)' }}
        hint={{ text: 'For example, GMC 1234567' }}
        classes="nhsuk-input--width-20"
        value={form.professionalRegistrationId}
        onChange={set('professionalRegistrationId')}
      />
      <Checkboxes
        idPrefix="roles"
        fieldset={{ legend: { text: 'Roles', size: 's' } }}
        items={ROLES}
        values={roles}
        onChange={setRoles}
        {...(error('roles') ? { errorMessage: { text: error('roles')?.text ?? '' } } : {})}
      />
      <Input
        id="temporaryPassword"
        label={{ text: 'Temporary password' }}
        hint={{ text: 'Give it to them in person or by phone. They must change it when they first sign in.' }}
        type="password"
        autocomplete="new-password"
        value={form.temporaryPassword}
        onChange={set('temporaryPassword')}
        {...(error('temporaryPassword') ? { errorMessage: { text: error('temporaryPassword')?.text ?? '' } } : {})}
      />
      <Button text="Add user" />
    </form>
  );
}
