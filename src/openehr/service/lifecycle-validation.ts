import type { ErrorIssue } from '../../errors/app-error.js';
import type { LifecycleState } from '../store/version-store.js';

/** One finding of a template validator; `missing` marks required content that is absent. */
export interface TemplateIssue extends ErrorIssue {
  missing?: true;
}

/** What a composition's findings mean for a version in a given lifecycle state. */
export interface LifecycleValidation {
  /** Findings that refuse the write: anything wrong, and for a complete version anything missing too. */
  refused: ErrorIssue[];
  /** Required content an incomplete version (a draft) still lacks; it must be added before it is complete. */
  outstanding: ErrorIssue[];
}

/**
 * The one validation policy of every composition write, whichever API makes it (openEHR REST, a
 * contribution, the care plan): a complete version must satisfy its template in full; an
 * incomplete version may lack required content but may not hold anything the template or the
 * Reference Model forbids.
 */
export function lifecycleValidation(
  issues: readonly TemplateIssue[],
  lifecycleState: Exclude<LifecycleState, 'deleted'>,
): LifecycleValidation {
  const plain = (issue: TemplateIssue): ErrorIssue => ({ path: issue.path, message: issue.message });
  if (lifecycleState === 'complete') return { refused: issues.map(plain), outstanding: [] };
  return {
    refused: issues.filter((issue) => !issue.missing).map(plain),
    outstanding: issues.filter((issue) => issue.missing).map(plain),
  };
}
