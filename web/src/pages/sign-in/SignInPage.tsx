import { useEffect, useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiProblem } from '../../api/http';
import { identityProviders, signIn, singleSignOnUrl, type IdentityProvider, type SignInRequest } from '../../api/session-api';
import { Main } from '../../app/Layout';
import { useSession } from '../../app/session-context';
import { Button } from '../../components/button/Button';
import { ErrorSummary, type ErrorSummaryItem } from '../../components/error-summary/ErrorSummary';
import { InsetText } from '../../components/inset-text/InsetText';
import { Input } from '../../components/input/Input';
import { Select } from '../../components/select/Select';
import { safeReturnTo } from './return-to';

/** Why single sign-on sent the person back (the codes of src/auth/oidc/oidc-login-error.ts), in plain words. */
const SSO_ERRORS: Record<string, string> = {
  'login-expired': 'Signing in took too long. Try again.',
  'login-not-found': 'Signing in could not be finished in this browser. Try again.',
  'access-denied': 'Your identity provider did not let you sign in.',
  'no-organisation': 'Your account is not linked to an organisation that uses this service. Ask your administrator.',
  'no-roles': 'Your account has no role in this service. Ask your administrator.',
  'identity-provider-unavailable': 'Your identity provider could not be reached. Try again, or sign in with a username and password.',
};

const REASONS: Record<string, string> = {
  idle: 'You were signed out because you had not done anything for a while. Sign in again to carry on.',
  ended: 'Your session has ended. Sign in again to carry on.',
};

type Step =
  { need: 'password' } | { need: 'totp' } | { need: 'new-password' } | { need: 'organisation'; choices: { value: string; text: string }[] };

/**
 * Sign in: a button per identity provider (single sign-on first, as most staff have a smartcard or
 * an NHS login), and a local username and password as the fallback, with its second factor and a
 * forced password change when the account needs them.
 */
export function SignInPage() {
  const { state, refresh } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const [providers, setProviders] = useState<IdentityProvider[] | undefined>();
  const [form, setForm] = useState<SignInRequest & { confirmPassword: string }>({ username: '', password: '', confirmPassword: '' });
  const [step, setStep] = useState<Step>({ need: 'password' });
  const [errors, setErrors] = useState<ErrorSummaryItem[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    identityProviders().then(setProviders, () => setProviders([]));
  }, []);

  if (state.status === 'signed-in') return <Navigate to={returnTo} replace />;

  const ssoError = params.get('error');
  const reason = params.get('reason');
  const set = (field: keyof typeof form) => (value: string) => setForm((current) => ({ ...current, [field]: value }));
  const fieldError = (id: string) => errors.find((error) => error.href === `#${id}`);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems = checkForm(form, step);
    setErrors(problems);
    if (problems.length > 0) return;
    setBusy(true);
    try {
      const { confirmPassword: _confirm, ...details } = form;
      await signIn(
        Object.fromEntries(Object.entries(details).filter(([, value]) => value !== '' && value !== undefined)) as unknown as SignInRequest,
      );
      await refresh();
      navigate(returnTo, { replace: true });
    } catch (error) {
      const next = nextStep(error);
      if (next) {
        setStep(next.step);
        setErrors(next.message ? [next.message] : []);
      } else setErrors([{ text: error instanceof ApiProblem ? error.detail : 'Signing in failed. Try again.' }]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Main>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          {(ssoError || errors.length > 0) && (
            <ErrorSummary
              errorList={[...(ssoError ? [{ text: SSO_ERRORS[ssoError] ?? 'Signing in did not work. Try again.' }] : []), ...errors]}
            />
          )}
          {reason && REASONS[reason] && (
            <InsetText>
              <p>{REASONS[reason]}</p>
            </InsetText>
          )}
          <h1>Sign in to Urgent Care Plan</h1>
          {providers === undefined ? (
            <p role="status">Finding the ways you can sign in…</p>
          ) : (
            providers.length > 0 && (
              <div className="app-sign-in-providers">
                {providers.map((provider) => (
                  <Button
                    key={provider.id}
                    variant="login"
                    href={singleSignOnUrl(provider, returnTo)}
                    text={`Sign in with ${provider.displayName}`}
                  />
                ))}
              </div>
            )
          )}
          <h2 className="nhsuk-heading-m">
            {providers && providers.length > 0 ? 'Or sign in with a username and password' : 'Sign in with a username and password'}
          </h2>
          <form onSubmit={(event) => void submit(event)} noValidate>
            <Input
              id="username"
              label={{ text: 'Username' }}
              autocomplete="username"
              spellcheck={false}
              value={form.username}
              onChange={set('username')}
              errorMessage={fieldError('username')}
            />
            <Input
              id="password"
              label={{ text: 'Password' }}
              type="password"
              autocomplete="current-password"
              value={form.password}
              onChange={set('password')}
              errorMessage={fieldError('password')}
            />
            {step.need === 'totp' && (
              <Input
                id="totp"
                label={{ text: 'Security code' }}
                hint={{ text: 'The 6 digit code from your authenticator app' }}
                inputmode="numeric"
                autocomplete="one-time-code"
                classes="nhsuk-input--width-5"
                value={form.totp ?? ''}
                onChange={set('totp')}
                errorMessage={fieldError('totp')}
              />
            )}
            {step.need === 'new-password' && (
              <>
                <Input
                  id="newPassword"
                  label={{ text: 'Create a new password' }}
                  hint={{
                    text: 'You must change your password before you carry on. Use at least 12 characters. Do not use your username.',
                  }}
                  type="password"
                  autocomplete="new-password"
                  value={form.newPassword ?? ''}
                  onChange={set('newPassword')}
                  errorMessage={fieldError('newPassword')}
                />
                <Input
                  id="confirmPassword"
                  label={{ text: 'Type the new password again' }}
                  type="password"
                  autocomplete="new-password"
                  value={form.confirmPassword}
                  onChange={set('confirmPassword')}
                  errorMessage={fieldError('confirmPassword')}
                />
              </>
            )}
            {step.need === 'organisation' && (
              <Select
                id="organisation"
                label={{ text: 'Which organisation are you working for today?' }}
                items={[{ value: '', text: 'Choose an organisation' }, ...step.choices]}
                value={form.organisation ?? ''}
                onChange={set('organisation')}
                errorMessage={fieldError('organisation')}
              />
            )}
            <Button text={busy ? 'Signing in…' : 'Sign in'} disabled={busy} />
          </form>
        </div>
      </div>
    </Main>
  );
}

function checkForm(form: SignInRequest & { confirmPassword: string }, step: Step): ErrorSummaryItem[] {
  const problems: ErrorSummaryItem[] = [];
  if (!form.username.trim()) problems.push({ text: 'Enter your username', href: '#username' });
  if (!form.password) problems.push({ text: 'Enter your password', href: '#password' });
  if (step.need === 'totp' && !/^\d{6}$/.test(form.totp?.trim() ?? ''))
    problems.push({ text: 'Enter the 6 digit security code', href: '#totp' });
  if (step.need === 'new-password') {
    if (!form.newPassword) problems.push({ text: 'Create a new password', href: '#newPassword' });
    else if (form.newPassword !== form.confirmPassword) problems.push({ text: 'The new passwords do not match', href: '#confirmPassword' });
  }
  if (step.need === 'organisation' && !form.organisation)
    problems.push({ text: 'Choose the organisation you are working for', href: '#organisation' });
  return problems;
}

/** The server's answer says what else it needs: a code, a new password, or an organisation. */
function nextStep(error: unknown): { step: Step; message?: ErrorSummaryItem } | undefined {
  if (!(error instanceof ApiProblem)) return undefined;
  const paths = error.issues.map((issue) => issue.path);
  if (paths.includes('totp'))
    return {
      step: { need: 'totp' },
      ...(error.detail.includes('wrong')
        ? { message: { text: 'The security code is wrong or has been used already', href: '#totp' } }
        : {}),
    };
  if (paths.includes('newPassword'))
    return error.status === 403
      ? { step: { need: 'new-password' }, message: { text: 'You must change your password before you carry on', href: '#newPassword' } }
      : { step: { need: 'new-password' }, message: { text: error.detail, href: '#newPassword' } };
  if (paths.includes('organisation')) {
    const choices = [...error.detail.matchAll(/([A-Z0-9]+) \(([^)]+)\)/g)].map((match) => ({
      value: match[1] ?? '',
      text: match[2] ?? '',
    }));
    return { step: { need: 'organisation', choices } };
  }
  return undefined;
}
