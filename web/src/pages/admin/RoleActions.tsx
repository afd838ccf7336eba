import { useState, type FormEvent } from 'react';
import { giveRoles, removeRole, ROLE_CHOICES, type AdminUser, type Role } from '../../api/admin-api';
import { Button } from '../../components/button/Button';
import { Checkboxes } from '../../components/checkboxes/Checkboxes';
import { ConfirmAction } from '../../components/confirm-action/ConfirmAction';
import { problemText, roleNames } from './admin-format';
import type { Outcome } from './UserPage';

interface RoleActionsProps {
  user: AdminUser;
  organisation: { odsCode: string; name: string };
  onOutcome(outcome: Outcome): void;
}

/** The person's roles in the organisation the administrator acts for: take one away (asked first), or give more. */
export function RoleActions({ user, organisation, onOutcome }: RoleActionsProps) {
  const held = user.memberships.find((membership) => membership.odsCode === organisation.odsCode)?.roles ?? [];
  const [removing, setRemoving] = useState<string | undefined>();
  const [adding, setAdding] = useState<Role[]>([]);
  const [missing, setMissing] = useState(false);
  const choices = ROLE_CHOICES.filter((choice) => !held.includes(choice.value));

  async function remove(role: string) {
    try {
      await removeRole(user.id, role);
      onOutcome({ done: `${user.displayName} no longer has the role ${roleNames([role])} in ${organisation.name}.` });
    } catch (failure) {
      onOutcome({ problem: problemText(failure, 'The role was not removed. Try again.') });
    }
    setRemoving(undefined);
  }

  async function give(event: FormEvent) {
    event.preventDefault();
    setMissing(adding.length === 0);
    if (adding.length === 0) return;
    try {
      const result = await giveRoles(user.id, adding);
      const waiting =
        result.pendingRoles.length > 0
          ? ` Waiting for a second administrator: ${roleNames(result.pendingRoles.map((grant) => grant.role))}.`
          : '';
      onOutcome({ done: `${user.displayName}’s roles in ${organisation.name}: ${roleNames(result.roles) || 'none'}.${waiting}` });
      setAdding([]);
    } catch (failure) {
      onOutcome({ problem: problemText(failure, 'No role was given. Try again.') });
    }
  }

  return (
    <section aria-labelledby="role-actions">
      <h2 id="role-actions">Roles in {organisation.name}</h2>
      {removing ? (
        <ConfirmAction
          heading={`Take the role ${roleNames([removing])} away from ${user.displayName}?`}
          confirmText="Yes, remove this role"
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(undefined)}
        >
          <p>
            {held.length === 1
              ? `It is their last role here: they will no longer be able to act for ${organisation.name}.`
              : 'Their other roles stay.'}
          </p>
        </ConfirmAction>
      ) : (
        <ul className="nhsuk-list">
          {held.map((role) => (
            <li key={role}>
              {roleNames([role])}{' '}
              {role !== 'platform-admin' && (
                <Button small type="button" variant="secondary" onClick={() => setRemoving(role)}>
                  Remove<span className="nhsuk-u-visually-hidden"> the role {roleNames([role])}</span>
                </Button>
              )}
            </li>
          ))}
          {held.length === 0 && <li>None</li>}
        </ul>
      )}
      {choices.length > 0 && (
        <form onSubmit={(event) => void give(event)} noValidate>
          <Checkboxes
            idPrefix="add-roles"
            fieldset={{ legend: { text: 'Give more roles', size: 's' } }}
            hint={{ text: 'Senior clinician, organisation administrator and auditor need a second administrator’s approval.' }}
            items={choices}
            values={adding}
            onChange={setAdding}
            {...(missing ? { errorMessage: { text: 'Select at least one role to give' } } : {})}
          />
          <Button text="Give roles" variant="secondary" />
        </form>
      )}
    </section>
  );
}
