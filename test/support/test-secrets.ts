import { SecretBox } from '../../src/secrets/secret-box.js';

/** The key-encryption key of every test store: fixed, so that two app instances over one database agree. */
export const TEST_SECRETS_KEY = Buffer.alloc(32, 7);

export const testSecrets = new SecretBox(TEST_SECRETS_KEY);
