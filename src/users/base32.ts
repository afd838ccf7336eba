/**
 * Base32 (RFC 4648 §6), the alphabet authenticator apps expect TOTP secrets in. Encoding pads
 * with "=" unless asked not to (otpauth URIs leave the padding off); decoding is forgiving about
 * what people type or paste — case, spaces, hyphens and padding — and strict about anything else.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array, options: { padding?: boolean } = {}): string {
  let output = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      output += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += ALPHABET[(buffer << (5 - bits)) & 31];
  if (options.padding ?? true) output = output.padEnd(Math.ceil(output.length / 8) * 8, '=');
  return output;
}

/** The bytes `text` encodes; a RangeError names the first character outside the alphabet. */
export function base32Decode(text: string): Buffer {
  const cleaned = text.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const character of cleaned) {
    const value = ALPHABET.indexOf(character);
    if (value === -1) throw new RangeError(`'${character}' is not a base32 character`);
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}
