/** What of a pathway version tells who reviewed it (a PathwayVersion has it). */
export interface ReviewedVersion {
  id: string;
  version: number;
  basedOn: string | null;
  publishedAt: string | null;
  review: { outcome: string; reviewer: { name: string } } | null;
}

/**
 * Who reviewed a version. A roll-back is published without a second review because the version it
 * restores had one: say whose, or the table reads as if an unreviewed version were in force.
 */
export function reviewedBy(version: ReviewedVersion, versions: readonly ReviewedVersion[]): string {
  if (version.review) return `${version.review.reviewer.name} (${version.review.outcome})`;
  const restored = version.publishedAt !== null && versions.find((candidate) => candidate.id === version.basedOn);
  if (!restored) return '—';
  return `Roll-back to version ${restored.version}${restored.review ? `, reviewed by ${restored.review.reviewer.name}` : ''}`;
}
