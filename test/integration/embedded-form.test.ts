import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/audit/audit-query.js';
import { registerSystem } from '../../src/integration/registered-systems.js';
import { addMembership, createUser, findUserByEmail } from '../../src/users/user-store.js';
import { createPlanTestKit, publishedPlan, STRANGER, type PlanTestKit } from '../careplan/care-plan-test-kit.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { JwksServer } from '../support/jwks-server.js';
import { backend } from '../support/test-database.js';

const EPR = 'https://gp-system.embed.example';
const EPR_ORIGIN = 'https://gp-system.embed.example';
const OTHER = 'https://other.embed.example';
const PATHWAY = 'end-of-life';

interface EmbeddedForm {
  nhsNumber: string;
  pathway: { id: string; modules: { id: string; templateId: string; form: { sections: unknown[] } }[] };
  plan: { nhsNumber: string; modules: { moduleId: string; templateId: string; flat: Record<string, unknown> | null }[] } | null;
}

describe(`embedded forms launched by a record system on ${backend}`, () => {
  let kit: PlanTestKit;
  let webRoot: string;
  const epr = new JwksServer('ES256');
  const other = new JwksServer('ES256');
  let audience: string;
  let nhsNumber: string;
  let otherNhsNumber: string;

  beforeAll(async () => {
    webRoot = await mkdtemp(join(tmpdir(), 'ucp-embed-web-'));
    await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>UCP</title><div id="root"></div>');
    kit = await createPlanTestKit({ web: { root: webRoot } });
    const db = kit.test.database.db;
    await registerSystem(db, {
      issuer: EPR,
      name: 'Embedding GP system',
      jwksUrl: await epr.start(),
      odsCode: STRANGER.odsCode,
      purposes: ['contextual-launch'],
      frameOrigins: [EPR_ORIGIN],
    });
    // A system registered for contextual launch but with no frame origins may not embed.
    await registerSystem(db, {
      issuer: OTHER,
      name: 'Unframed system',
      jwksUrl: await other.start(),
      odsCode: STRANGER.odsCode,
      purposes: ['contextual-launch'],
    });
    const doctor = await createUser(db, { displayName: 'Dr Embed', email: 'dr.embed@gp.example' });
    await addMembership(db, doctor.id, STRANGER.odsCode, ['clinician']);
    audience = `${kit.test.config.publicUrl}/embed/launch`;
    nhsNumber = nextTestNhsNumber();
    otherNhsNumber = nextTestNhsNumber();
    await publishedPlan(kit, nhsNumber);
    await publishedPlan(kit, otherNhsNumber);
  }, 120_000);
  afterAll(async () => {
    await kit.close();
    await epr.stop();
    await other.stop();
    await rm(webRoot, { recursive: true, force: true });
  });

  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: EPR,
    aud: audience,
    email: 'dr.embed@gp.example',
    ods: STRANGER.odsCode,
    role: 'clinician',
    nhs_number: nhsNumber,
    pathway: PATHWAY,
    ...extra,
  });
  const launch = (token: string) => kit.test.app.inject({ method: 'GET', url: `/embed/launch?token=${token}` });
  const embedCookie = async (): Promise<Record<string, string>> => {
    const response = await launch(await epr.sign(claims()));
    expect(response.statusCode, response.body).toBe(303);
    const cookie = response.cookies.find((candidate) => candidate.name === 'ucp_embed' && candidate.value !== '');
    if (!cookie) throw new Error('no embedded session cookie');
    return { [cookie.name]: cookie.value };
  };
  const formOf = (cookies: Record<string, string>, person = nhsNumber) =>
    kit.test.app.inject({ method: 'GET', url: `/api/embed/people/${person}/pathways/${PATHWAY}`, cookies });

  it('a valid launch lands on the form for that person, whose plan the embedded session reads, audited as the launching user', async () => {
    const response = await launch(await epr.sign(claims()));
    expect(response.statusCode, response.body).toBe(303);
    expect(response.headers['location']).toBe(`/embed/${PATHWAY}/${nhsNumber}`);
    const cookie = response.cookies.find((candidate) => candidate.name === 'ucp_embed');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'None', partitioned: true, path: '/' });

    const form = await formOf({ ucp_embed: cookie?.value ?? '' });
    expect(form.statusCode, form.body).toBe(200);
    const body = form.json<EmbeddedForm>();
    expect(body.pathway.id).toBe(PATHWAY);
    expect(body.pathway.modules.map((module) => module.id)).toContain('respect');
    expect(body.pathway.modules.every((module) => module.form.sections.length > 0)).toBe(true);
    expect(body.plan?.nhsNumber).toBe(nhsNumber);
    expect(body.plan?.modules.find((module) => module.moduleId === 'respect')?.flat).not.toBeNull();

    const audit = await queryAudit(kit.test.database.db, { nhsNumber, limit: 100 });
    expect(audit.entries.find((entry) => entry.action === 'sign-in')?.detail).toMatchObject({
      method: 'embedded-launch',
      system: EPR,
      role: 'clinician',
      pathway: PATHWAY,
    });
    const read = audit.entries.find((entry) => entry.action === 'read' && entry.outcome === 'success');
    expect(read?.detail).toMatchObject({ basis: 'launch-context' });
    expect(read?.actorId).toBe((await findUserByEmail(kit.test.database.db, 'dr.embed@gp.example'))?.id);
  });

  it('refuses an expired, tampered, replayed or unframed launch with a clear error, starting no session', async () => {
    const replayed = await epr.sign(claims());
    expect((await launch(replayed)).statusCode).toBe(303);
    const valid = await epr.sign(claims());
    const [head, payload, signature] = valid.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), nhs_number: otherNhsNumber }),
    ).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    for (const [what, token, status, detail] of [
      ['expired', await epr.sign(claims({ iat: now - 400, exp: now - 100 })), 401, /expired/],
      ['tampered', `${head}.${forged}.${signature}`, 401, /signature/],
      ['replayed', replayed, 401, /used before/],
      ['from a system with no frame origins', await other.sign(claims({ iss: OTHER })), 403, /no registered frame origins/],
      [
        'for the contextual launch (another audience)',
        await epr.sign(claims({ aud: `${kit.test.config.publicUrl}/launch/context` })),
        401,
        /aud/,
      ],
      ['without a pathway', await epr.sign(claims({ pathway: undefined })), 400, /pathway/],
      ['missing', '', 400, /token/],
    ] as const) {
      const response = await launch(token);
      expect(response.statusCode, what).toBe(status);
      expect(response.headers['content-type'], what).toContain('application/problem+json');
      expect(response.json<{ detail: string }>().detail, what).toMatch(detail);
      expect(
        response.cookies.filter((cookie) => cookie.value !== ''),
        what,
      ).toEqual([]);
    }
    // Every refusal is in the audit log with its reason, a token that did not verify included.
    const failed = await queryAudit(kit.test.database.db, { action: 'sign-in-failed', limit: 50 });
    const reasons = failed.entries
      .filter((entry) => entry.detail['method'] === 'embedded-launch')
      .map((entry) => String(entry.detail['reason']));
    for (const reason of [/expired/, /signature/, /used before/, /no registered frame origins/]) {
      expect(
        reasons.some((text) => reason.test(text)),
        String(reason),
      ).toBe(true);
    }
  });

  it('the embedded session reads no other person, and is no session of the web app or its other APIs', async () => {
    const cookies = await embedCookie();
    const refused = await formOf(cookies, otherNhsNumber);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toMatch(/only the person it was launched for/);
    const audit = await queryAudit(kit.test.database.db, { nhsNumber: otherNhsNumber, limit: 100 });
    expect(audit.entries.some((entry) => entry.outcome === 'denied')).toBe(true);

    // The ordinary APIs do not take the embedded cookie, even for the same person.
    expect((await kit.test.app.inject({ method: 'GET', url: '/auth/session', cookies })).statusCode).toBe(401);
    expect((await kit.test.app.inject({ method: 'GET', url: `/api/people/${nhsNumber}/care-team`, cookies })).statusCode).toBe(401);
    // Nor does the embedded read take anything but the embedded cookie.
    const withToken = await (
      await kit.as(['clinician'], STRANGER)
    )({ method: 'GET', url: `/api/embed/people/${nhsNumber}/pathways/${PATHWAY}` });
    expect(withToken.statusCode).toBe(401);
    expect((await formOf({ ucp_embed: 'x'.repeat(43) })).statusCode).toBe(401);
  });

  it("the embedded page may be framed by the launching system's registered origin only", async () => {
    const cookies = await embedCookie();
    const page = await kit.test.app.inject({ method: 'GET', url: `/embed/${PATHWAY}/${nhsNumber}`, cookies });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const csp = String(page.headers['content-security-policy']);
    const ancestors = csp.split(';').filter((directive) => directive.trim().startsWith('frame-ancestors'));
    expect(ancestors).toEqual([`frame-ancestors ${EPR_ORIGIN}`]);
    expect(csp).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBeUndefined();

    // Without an embedded session nobody may frame it; the rest of the app keeps its own policy.
    const unlaunched = await kit.test.app.inject({ method: 'GET', url: `/embed/${PATHWAY}/${nhsNumber}` });
    expect(String(unlaunched.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    const app = await kit.test.app.inject({ method: 'GET', url: '/people', cookies });
    expect(String(app.headers['content-security-policy'])).not.toContain(EPR_ORIGIN);
  });

  it('refuses to register a frame origin that is not a plain origin', async () => {
    for (const origin of ['*', 'https://*.example', "'self'", 'https://x.example/path', 'https://x.example; script-src *']) {
      await expect(
        registerSystem(kit.test.database.db, {
          issuer: 'https://bad.example',
          name: 'Bad',
          jwksUrl: 'https://bad.example/jwks',
          odsCode: undefined,
          purposes: ['contextual-launch'],
          frameOrigins: [origin],
        }),
        origin,
      ).rejects.toThrow(/Frame origins/);
    }
  });
});
