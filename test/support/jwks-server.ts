import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

/** A record system's key pair with its JWKS served over HTTP, as a registered system publishes it. */
export class JwksServer {
  #server: Server | undefined;
  #privateKey: CryptoKey | undefined;
  readonly kid = randomUUID();
  url = '';

  constructor(readonly alg: 'ES384' | 'RS384' | 'ES256' = 'ES384') {}

  async start(): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(this.alg);
    this.#privateKey = privateKey;
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: this.kid, alg: this.alg, use: 'sig' }] });
    this.#server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/.well-known/jwks.json`;
    return this.url;
  }

  /** A JWT signed with this system's key; claims default to a fresh jti, now and five minutes. */
  sign(claims: JWTPayload & { iss: string; aud: string }, options: { lifetimeSeconds?: number } = {}): Promise<string> {
    if (!this.#privateKey) throw new Error('start the JWKS server first');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ sub: claims.iss, jti: randomUUID(), iat: now, exp: now + (options.lifetimeSeconds ?? 300), ...claims })
      .setProtectedHeader({ alg: this.alg, kid: this.kid, typ: 'JWT' })
      .sign(this.#privateKey);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}
