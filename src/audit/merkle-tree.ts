import { createHash } from 'node:crypto';

/**
 * The Merkle tree head of RFC 6962 §2.1 (certificate transparency) over leaves given as hex
 * SHA-256 hashes: a leaf is SHA-256(0x00 ‖ leaf), an inner node SHA-256(0x01 ‖ left ‖ right), and
 * the left subtree holds the largest power of two below the number of leaves. Any change, removal,
 * insertion or reordering of a leaf changes the head. The empty tree's head is SHA-256 of nothing.
 */
export function merkleTreeHead(leaves: readonly string[]): string {
  if (leaves.length === 0) return createHash('sha256').digest('hex');
  return subtreeHead(leaves.map((leaf) => Buffer.from(leaf, 'hex'))).toString('hex');
}

function subtreeHead(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 1) return sha256(Buffer.of(0), leaves[0] ?? Buffer.alloc(0));
  let split = 1;
  while (split * 2 < leaves.length) split *= 2;
  return sha256(Buffer.of(1), subtreeHead(leaves.slice(0, split)), subtreeHead(leaves.slice(split)));
}

function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}
