import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { accessTokenSettings, type AccessTokenSettings } from '../auth/tokens/access-token.js';
import { createBearerAuthenticator, type BearerAuthenticator } from '../auth/tokens/bearer-authenticator.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { SigningKeys } from '../auth/tokens/signing-keys.js';
import { activeClientChecker } from '../auth/tokens/client-store.js';
import { ClientCredentialsGrant } from '../auth/tokens/client-credentials-grant.js';
import { maxTokenLifetimeSeconds, SigningKeyAdministration } from '../auth/tokens/signing-key-rotation.js';
import { createSessionAuthenticator, type SessionAuthenticator } from '../auth/sessions/session-authenticator.js';
import { sessionSettings, type SessionSettings } from '../auth/sessions/session-settings.js';
import { SessionService } from '../auth/sessions/session-service.js';
import { LocalSignInService } from '../auth/local/local-sign-in-service.js';
import { TotpService } from '../auth/local/totp-service.js';
import { CONTEXTUAL_LAUNCH_PATH, ContextualLaunchService } from '../integration/contextual-launch-service.js';
import { EMBEDDED_LAUNCH_PATH, EmbeddedLaunchService } from '../integration/embedded-launch-service.js';
import { SmartAuthorizationService } from '../smart/smart-authorization-service.js';
import { createCompositionValidator } from '../openehr/service/composition-validator.js';
import { createOpenEhrServices, type OpenEhrServices } from '../openehr/service/openehr-services.js';
import { findOrganisation } from '../organisations/organisation-store.js';
import { CarePlanService } from '../careplan/care-plan-service.js';
import { CarePlanQueries } from '../careplan/queries/care-plan-queries.js';
import { coreCatalogue } from '../careplan/catalogue/core-catalogue.js';
import { PublishedCatalogue } from '../careplan/catalogue/published-catalogue.js';
import { TemplateDesignService } from '../designer/template-design-service.js';
import { PathwayDesignService } from '../designer/pathway-design-service.js';
import { DemographicsService } from '../demographics/demographics-service.js';
import { pdsSource } from '../demographics/pds-source.js';
import type { PdsStub } from '../demographics/stub/pds-stub.js';
import { localPdsStub } from '../demo/demo-demographics.js';
import { StubNrlClient, type NrlClient } from '../nrl/nrl-client.js';
import { SystemTokenVerifier } from '../integration/registered-systems.js';
import { smartAwareBearer } from '../smart/smart-bearer.js';
import { Repositories } from '../repository/repository.js';
import { createAdministrationServices, type AdministrationServices } from '../api/administration/administration-services.js';

/** Every service of the application, made once per process over one database. */
export interface AppServices {
  /** The one clock of the app: route handlers and services take the time from it (tests pass their own). */
  clock: () => Date;
  /** The one door to people's data: a repository per caller (src/repository). */
  repositories: Repositories;
  openehr: OpenEhrServices;
  /** The urgent care plan (src/careplan). */
  carePlans: CarePlanService;
  /** Pathways as versioned data: drafting, review, publication and roll-back by clinical designers (src/designer). */
  pathwayDesign: PathwayDesignService;
  templateDesign: TemplateDesignService;
  /** The platform's own AQL questions of the plans (review worklists, population reports). */
  carePlanQueries: CarePlanQueries;
  /** The administration of organisations, users, their accounts and roles, and machine clients, each change audited (src/api/administration). */
  administration: AdministrationServices;
  /** People's demographics from the national demographics service (src/demographics). */
  demographics: DemographicsService;
  /** Seals and opens the secrets stored in the database (src/secrets). */
  secrets: SecretBox;
  tokens: {
    keys: SigningKeys;
    settings: AccessTokenSettings;
    authenticate: BearerAuthenticator;
    /** The client credentials grant of the token endpoint. */
    clientCredentials: ClientCredentialsGrant;
    /** The keys' states and their rotation by hand, for platform administrators. */
    signingKeys: SigningKeyAdministration;
  };
  sessions: {
    settings: SessionSettings;
    authenticate: SessionAuthenticator;
    /** A signed-in person's own sessions: who they are, the live ones, signing out. */
    service: SessionService;
    /** Sign-in with a local account. */
    localSignIn: LocalSignInService;
    /** A signed-in person's second factor. */
    totp: TotpService;
  };
  /** SMART App Launch's authorization server: its provider, apps and launches (src/smart). */
  smart: SmartAuthorizationService;
  /** A registered record system's signed sign-in in a person's context (src/integration). */
  contextualLaunch: ContextualLaunchService;
  /** A registered record system's signed launch of an embedded form for one person (src/integration). */
  embeddedLaunch: EmbeddedLaunchService;
  /** The national record locator (a stub in demo mode and tests); undefined when pointers are off. */
  nrl: NrlClient | undefined;
  /** Verifies the JWTs registered record systems sign themselves (CDS Hooks, contextual launch). */
  systemTokens: SystemTokenVerifier;
}

export interface AppServiceOptions {
  /** The app's clock (default: the system clock). */
  clock?: () => Date;
  /** The PDS stand-in used when no PDS URL is configured; the demo's local stub unless given (tests add their people). */
  localPdsStub?: (db: Database) => PdsStub;
}

export function createAppServices(db: Database, config: Config, secrets: SecretBox, options: AppServiceOptions = {}): AppServices {
  const clock = options.clock ?? (() => new Date());
  const localStub = options.localPdsStub ?? localPdsStub;
  const keys = new SigningKeys(db, secrets);
  const settings = accessTokenSettings(config.publicUrl, { lifetimeSeconds: config.accessTokenLifetimeSeconds });
  const sessions = sessionSettings({
    publicUrl: config.publicUrl,
    idleTimeoutMinutes: config.session.idleMinutes,
    absoluteTimeoutHours: config.session.absoluteHours,
    tls: config.session.tls,
    clock,
  });
  const systemTokens = new SystemTokenVerifier(db);
  const openehr = createOpenEhrServices(db, {
    systemId: config.systemId,
    createValidator: createCompositionValidator,
    aqlLimits: config.aql,
  });
  // The pathways in force are the published versions in the database (shipped ones loaded at start).
  const catalogue = new PublishedCatalogue(db, coreCatalogue());
  const carePlans = new CarePlanService(db, openehr, catalogue, clock);
  return {
    clock,
    repositories: new Repositories({ db, openehr, projections: [carePlans.projectRecordWrite] }),
    openehr,
    carePlans,
    pathwayDesign: new PathwayDesignService(db, openehr.templates, catalogue),
    templateDesign: new TemplateDesignService(openehr.templates),
    carePlanQueries: new CarePlanQueries(db, openehr.aql),
    administration: createAdministrationServices(db, { bootstrapClientId: config.bootstrapClient?.id }),
    demographics: new DemographicsService(
      db,
      pdsSource(config.pds, () => localStub(db)),
      config.pds,
      () => clock().getTime(),
    ),
    secrets,
    tokens: {
      keys,
      settings,
      authenticate: smartAwareBearer(
        createBearerAuthenticator({
          keys,
          settings,
          resolveOrganisation: (odsCode) => findOrganisation(db, odsCode),
          isClientActive: activeClientChecker(db),
        }),
        {
          db,
          keys,
          issuer: `${config.publicUrl}/smart`,
          audience: `${config.publicUrl}/fhir`,
        },
      ),
      clientCredentials: new ClientCredentialsGrant(db, keys, settings),
      signingKeys: new SigningKeyAdministration(db, secrets, keys, { maxTokenLifetimeSeconds: maxTokenLifetimeSeconds(config) }, clock),
    },
    sessions: {
      settings: sessions,
      authenticate: createSessionAuthenticator(db, sessions),
      service: new SessionService(db, sessions),
      localSignIn: new LocalSignInService(db, secrets, sessions),
      totp: new TotpService(db, secrets),
    },
    smart: new SmartAuthorizationService(db, {
      issuer: `${config.publicUrl}/smart`,
      fhirBaseUrl: `${config.publicUrl}/fhir`,
      accessTokenLifetimeSeconds: config.accessTokenLifetimeSeconds,
    }),
    ...recordSystemLaunches(db, config.publicUrl, sessions, systemTokens),
    nrl: config.nrl.mode === 'stub' ? new StubNrlClient() : undefined,
    systemTokens,
  };
}

/** A registered record system's signed launches: of the web app in a person's context, and of an embedded form. */
function recordSystemLaunches(
  db: Database,
  publicUrl: string,
  sessions: SessionSettings,
  verifier: SystemTokenVerifier,
): Pick<AppServices, 'contextualLaunch' | 'embeddedLaunch'> {
  return {
    contextualLaunch: new ContextualLaunchService({ db, launchUrl: `${publicUrl}${CONTEXTUAL_LAUNCH_PATH}`, verifier, sessions }),
    embeddedLaunch: new EmbeddedLaunchService({
      db,
      launchUrl: `${publicUrl}${EMBEDDED_LAUNCH_PATH}`,
      verifier,
      tls: sessions.tls,
      clock: sessions.clock,
    }),
  };
}
