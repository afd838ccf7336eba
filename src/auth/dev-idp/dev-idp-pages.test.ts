import { describe, expect, it } from 'vitest';
import { consentPage, errorPage, escapeHtml, loginPage } from './dev-idp-pages.js';

describe('dev IdP pages', () => {
  it('escapes everything it shows', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
    const page = errorPage('Oops', { error: '<script>alert(1)</script>' });
    expect(page).not.toContain('<script>');
  });

  it('offers every user as a choice in a plain form, with no script or external asset', () => {
    const page = loginPage({
      action: '/dev-idp/interaction/u1/login',
      clientName: 'Urgent Care Plan',
      users: [
        { username: 'viewer', displayName: 'Sam', email: 's@x.invalid', odsCode: 'DEMOAMB', roles: ['viewer'] },
        { username: 'auditor', displayName: 'Mo', email: 'm@x.invalid', odsCode: 'DEMOACU', roles: ['auditor'] },
      ],
      error: 'There is no demo user <x>.',
    });
    expect(page).toContain('<form method="post" action="/dev-idp/interaction/u1/login">');
    expect(page).toContain('value="viewer" checked');
    expect(page).toContain('value="auditor"');
    expect(page).toContain('There is no demo user &#60;x&#62;.');
    expect(page).not.toMatch(/<script|<link|src=|https?:/);
  });

  it('asks for consent with allow and cancel forms', () => {
    const page = consentPage({
      action: '/dev-idp/interaction/u2/confirm',
      abortAction: '/dev-idp/interaction/u2/abort',
      clientName: 'Urgent Care Plan',
      accountName: 'Sam',
      scopes: ['openid', 'ucp'],
      claims: [],
    });
    expect(page).toContain('action="/dev-idp/interaction/u2/confirm"');
    expect(page).toContain('action="/dev-idp/interaction/u2/abort"');
    expect(page).toContain('<li>scope ucp</li>');
  });
});
