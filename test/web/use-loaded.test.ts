import { describe, expect, it } from 'vitest';
import { answerFor, type Answer } from '../../web/src/app/use-loaded.js';

describe('what a loading page shows', () => {
  const plan: Answer<string> = { key: 'ehr-1:{}', loaded: { status: 'loaded', value: 'version 1' } };

  it('keeps the last answer on the page while the same thing is loaded again', () => {
    expect(answerFor(plan, 'ehr-1:{}')).toEqual({ status: 'loaded', value: 'version 1' });
  });

  it('shows loading, never the last person’s answer, when the page is about something else', () => {
    expect(answerFor(plan, 'ehr-2:{}')).toEqual({ status: 'loading' });
    expect(answerFor(plan, 'ehr-1:{"ucp-break-glass":"reason"}')).toEqual({ status: 'loading' });
  });

  it('shows loading before any answer', () => {
    expect(answerFor<string>(undefined, 'ehr-1:{}')).toEqual({ status: 'loading' });
  });
});
