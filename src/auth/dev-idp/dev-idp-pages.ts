import type { DemoUser } from '../../demo/demo-people.js';

/**
 * The development identity provider's pages: plain HTML forms with inline styles and no
 * scripts or external assets, so they work offline and under any content security policy.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#212b32}
.warning{background:#fff3cd;border-left:6px solid #ffb81c;padding:.5rem 1rem}
.error{background:#fde8e8;border-left:6px solid #d5281b;padding:.5rem 1rem}
label{display:block;padding:.4rem;border-bottom:1px solid #d8dde0}button{font-size:1rem;padding:.5rem 1.5rem;margin:1rem .5rem 0 0}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<p class="warning"><strong>Development identity provider.</strong> For development, demonstrations and tests only: anyone can sign in as anyone. Never enable it in production.</p>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>`;
}

export function loginPage(options: { action: string; users: readonly DemoUser[]; clientName: string; error?: string }): string {
  const choices = options.users
    .map(
      (user, index) =>
        `<label><input type="radio" name="username" value="${escapeHtml(user.username)}"${index === 0 ? ' checked' : ''}> ` +
        `<strong>${escapeHtml(user.username)}</strong> — ${escapeHtml(user.displayName)}, ${escapeHtml(user.roles.join(', '))} at ${escapeHtml(user.odsCode)}</label>`,
    )
    .join('\n');
  const error = options.error === undefined ? '' : `<p class="error">${escapeHtml(options.error)}</p>`;
  return page(
    'Sign in as a demo user',
    `${error}<p>${escapeHtml(options.clientName)} asks you to sign in. Pick a person:</p>
<form method="post" action="${escapeHtml(options.action)}">
${choices}
<button type="submit">Sign in</button>
</form>`,
  );
}

export function consentPage(options: {
  action: string;
  abortAction: string;
  clientName: string;
  accountName: string;
  scopes: readonly string[];
  claims: readonly string[];
}): string {
  const items = [...options.scopes.map((scope) => `scope ${scope}`), ...options.claims.map((claim) => `claim ${claim}`)];
  const list = items.length === 0 ? '' : `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
  return page(
    'Share your details?',
    `<p>Signed in as <strong>${escapeHtml(options.accountName)}</strong>. ${escapeHtml(options.clientName)} asks for:</p>
${list}
<form method="post" action="${escapeHtml(options.action)}"><button type="submit">Allow</button></form>
<form method="post" action="${escapeHtml(options.abortAction)}"><button type="submit">Cancel</button></form>`,
  );
}

export function errorPage(title: string, details: Readonly<Record<string, string>>): string {
  const rows = Object.entries(details)
    .map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  return page(title, `<dl>${rows}</dl>`);
}
