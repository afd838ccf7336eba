import { useEffect } from 'react';
import { emergencySummary, publishedPlan, readablePathways, type AccessHeaders } from '../../api/care-plan-api';
import { ApiProblem } from '../../api/http';
import { useLoaded } from '../../app/use-loaded';
import { Button } from '../../components/button/Button';
import { InsetText } from '../../components/inset-text/InsetText';
import { formatDateTime } from '../../format/dates';
import { formatNhsNumber } from '../../format/nhs-number';
import { usePerson } from './person-context';
import { PlanSections } from './PlanSections';

/**
 * The server makes the PDF; it is fetched (so a break-glass reason goes with the request) and
 * handed to the browser as a download.
 */
async function downloadPdf(ehrId: string, nhsNumber: string, headers: AccessHeaders): Promise<void> {
  const response = await fetch(`/api/care-plans/${ehrId}/pdf`, { headers, credentials: 'same-origin' });
  if (!response.ok) return;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `urgent-care-plan-${nhsNumber}.pdf`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The plan for paper: the whole plan without the app around it, the date printed on every copy. */
export function PrintPage() {
  const { ehrId, nhsNumber, accessHeaders, refused, liveVersion } = usePerson();
  const loaded = useLoaded(
    ehrId
      ? () => Promise.all([publishedPlan(ehrId, accessHeaders), readablePathways(), emergencySummary(ehrId, accessHeaders)])
      : undefined,
    `${ehrId}:${JSON.stringify(accessHeaders)}`,
    String(liveVersion),
  );
  useEffect(() => {
    if (loaded.status === 'failed') refused(loaded.error);
  }, [loaded, refused]);
  if (loaded.status === 'loading') return <p role="status">Preparing the print view…</p>;
  if (loaded.status === 'failed')
    return <p>{loaded.error instanceof ApiProblem ? loaded.error.detail : 'The plan could not be loaded.'}</p>;
  const [plan, allPathways, summary] = loaded.value;
  return (
    <>
      <div className="app-no-print">
        <h1 className="nhsuk-heading-l">Print the plan</h1>
        <InsetText>
          <p>A printed plan is out of date as soon as the plan changes. Check the date on it against the plan here.</p>
        </InsetText>
        <Button text="Print this plan" type="button" onClick={() => window.print()} />{' '}
        <Button
          text="Download a PDF"
          type="button"
          variant="secondary"
          onClick={() => void downloadPdf(plan.ehrId, plan.nhsNumber, accessHeaders)}
        />
      </div>
      <div className="app-print-only">
        <p className="nhsuk-body-s">
          Printed {formatDateTime(new Date().toISOString())}. NHS number {formatNhsNumber(nhsNumber)}. Plan version {plan.planVersion}.
        </p>
      </div>
      <h2>CPR</h2>
      <p>
        {summary.cpr
          ? `${summary.cpr.notForCpr ? 'Not for CPR' : 'For CPR'}: ${summary.cpr.recommendation}`
          : 'No CPR recommendation recorded.'}
      </p>
      <PlanSections plan={plan} pathways={allPathways} showCodes={false} />
    </>
  );
}
