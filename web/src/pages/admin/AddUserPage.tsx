import { useState, type FormEvent } from 'react';
import { addUser, ROLE_CHOICES, type NewUser } from '../../api/admin-api';
import { useSignedIn } from '../../app/session-context';
import { AppLink } from '../../components/app-link';
import { BackLink } from '../../components/back-link/BackLink';
import { Button } from '../../components/button/Button';
import { Checkboxes } from '../../components/checkboxes/Checkboxes';
import { ErrorSummary, type ErrorSummaryItem } from '../../components/error-summary/ErrorSummary';
import { Input } from '../../components/input/Input';
import { NotificationBanner } from '../../components/notification-banner/NotificationBanner';
import { problemText } from './admin-format';

const EMPTY = { displayName: '', email: '', username: '', temporaryPassword: '', professionalRegistrationId: '' };
type Form = typeof EMPTY;

function problemsOf(form: Form, roles: readonly string[]): ErrorSummaryItem[] {
  const problems: ErrorSummaryItem[] = [];
  if (!form.displayName.trim()) problems.push({ text: 'Enter the person’s full name', href: '#displayName' });
  if (!/^\S+@\S+\.\S+$/.test(form.email.trim()))
    problems.push({ text: 'Enter an email address in the correct format, like name@example.nhs.uk', href: '#email' });
  if (form.username.trim().length < 3) problems.push({ text: 'Enter a username of at least 3 characters', href: '#username' });
  if (roles.length === 0) problems.push({ text: 'Select at least one role', href: '#roles' });
  if (form.temporaryPassword.length < 12)
    problems.push({ text: 'Enter a temporary password of at least 12 characters', href: '#temporaryPassword' });
  return problems;
}

/** An organisation's administrator adds a person with a local account and a temporary password. */
export function AddUserPage() {
  const session = useSignedIn();
  const [form, setForm] = useState(EMPTY);
  const [roles, setRoles] = useState<NewUser['roles']>([]);
  const [errors, setErrors] = useState<ErrorSummaryItem[]>([]);
  const [created, setCreated] = useState<{ id: string; text: string } | undefined>();
  const set = (field: keyof Form) => (value: string) => setForm((current) => ({ ...current, [field]: value }));
  const error = (id: string) => {
    const found = errors.find((item) => item.href === `#${id}`);
    return found ? { errorMessage: { text: found.text } } : {};
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems = problemsOf(form, roles);
    setErrors(problems);
    if (problems.length > 0) return;
    const registration = form.professionalRegistrationId.trim();
    try {
      const user = await addUser({
        displayName: form.displayName.trim(),
        email: form.email.trim(),
        username: form.username.trim(),
        temporaryPassword: form.temporaryPassword,
        roles,
        ...(registration ? { professionalRegistrationId: registration } : {}),
      });
      const waiting = user.pendingRoles.length > 0 ? ' Privileged roles wait for a second administrator to approve them.' : '';
      setCreated({
        id: user.id,
        text: `${form.displayName.trim()} can now sign in as ${form.username.trim()}. They must change the temporary password when they first sign in.${waiting}`,
      });
      setForm(EMPTY);
      setRoles([]);
    } catch (failure) {
      setErrors([{ text: problemText(failure, 'The user could not be added. Try again.') }]);
    }
  }

  return (
    <>
      <BackLink href="/admin/users" text="Users" />
      <form onSubmit={(event) => void submit(event)} noValidate>
        {errors.length > 0 && <ErrorSummary errorList={errors} />}
        {created && (
          <NotificationBanner type="success">
            <p className="nhsuk-notification-banner__heading">{created.text}</p>
            <p>
              <AppLink href={`/admin/users/${created.id}`}>See their account</AppLink>
            </p>
          </NotificationBanner>
        )}
        <h1>Add a user to {session.organisation.name}</h1>
        <UserFields form={form} set={set} roles={roles} setRoles={setRoles} error={error} />
        <Button text="Add user" />
      </form>
    </>
  );
}

interface UserFieldsProps {
  form: Form;
  set(field: keyof Form): (value: string) => void;
  roles: NewUser['roles'];
  setRoles(roles: NewUser['roles']): void;
  error(id: string): { errorMessage?: { text: string } };
}

/** The new user's fields, each with its error message after a failed submit. */
function UserFields({ form, set, roles, setRoles, error }: UserFieldsProps) {
  return (
    <>
      <Input
        id="displayName"
        label={{ text: 'Full name' }}
        autocomplete="off"
        value={form.displayName}
        onChange={set('displayName')}
        {...error('displayName')}
      />
      <Input
        id="email"
        label={{ text: 'Email address' }}
        type="email"
        autocomplete="off"
        spellcheck={false}
        value={form.email}
        onChange={set('email')}
        {...error('email')}
      />
      <Input
        id="username"
        label={{ text: 'Username' }}
        autocomplete="off"
        spellcheck={false}
        classes="nhsuk-input--width-20"
        value={form.username}
        onChange={set('username')}
        {...error('username')}
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
        hint={{ text: 'Senior clinician, organisation administrator and auditor need a second administrator’s approval.' }}
        items={ROLE_CHOICES}
        values={roles}
        onChange={setRoles}
        {...error('roles')}
      />
      <Input
        id="temporaryPassword"
        label={{ text: 'Temporary password' }}
        hint={{ text: 'Give it to them in person or by phone. They must change it when they first sign in.' }}
        type="password"
        autocomplete="new-password"
        value={form.temporaryPassword}
        onChange={set('temporaryPassword')}
        {...error('temporaryPassword')}
      />
    </>
  );
}
