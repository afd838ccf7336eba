import type { DemographicsSource } from './demographics-source.js';
import { PdsFhirClient } from './pds-fhir-client.js';
import type { PdsStub } from './stub/pds-stub.js';

/** How to reach PDS (docs/configuration.md); no URL means the local stub. */
export interface PdsSettings {
  url: string | undefined;
  accessToken: string | undefined;
  timeoutMs: number;
}

/** The base URL the stub answers on: never on a network, named so that nobody mistakes it for PDS. */
export const PDS_STUB_BASE_URL = 'http://pds-stub.invalid/personal-demographics/FHIR/R4';

/**
 * The demographics source configuration asks for: the PDS FHIR API at its URL, or — with none
 * configured, in demo mode and tests — the local stub, through the same client so that the
 * request, mapping and error handling are the ones production runs.
 */
export function pdsSource(settings: PdsSettings, localStub: () => PdsStub): DemographicsSource {
  if (settings.url) {
    const token = settings.accessToken;
    return new PdsFhirClient({
      baseUrl: settings.url,
      timeoutMs: settings.timeoutMs,
      ...(token ? { accessToken: async () => token } : {}),
    });
  }
  return new PdsFhirClient({ baseUrl: PDS_STUB_BASE_URL, timeoutMs: settings.timeoutMs, sourceName: 'pds-stub', fetch: localStub().fetch });
}
