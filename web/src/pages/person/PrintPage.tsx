import { useEffect } from 'react';
import { emergencySummary, pathways, publishedPlan } from '../../api/care-plan-api';
import { ApiProblem } from '../../api/http';
import { useLoaded } from '../../app/use-loaded';
import { Button } from '../../components/button/Button';
import { InsetText } from '../../components/inset-text/InsetText';
import { formatDateTime } from '../../format/dates';
import { formatNhsNumber } from '../../format/nhs-number';
import { usePerson } from './person-context';
import { PlanSections } from './PlanSections';

/** The plan for paper: the whole plan without the app around it, the date printed on every copy. */
export function PrintPage() {
  const { ehrId, nhsNumber, accessHeaders, refused, liveVersion } = usePerson();
  const loaded = useLoaded(
    ehrId ? () => Promise.all([publishedPlan(ehrId, accessHeaders), pathways(), emergencySummary(ehrId, accessHeaders)]) : undefined,
    `${ehrId}:${JSON.stringify(accessHeaders)}:${liveVersion}`,
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
        <Button text="Print this plan" type="button" onClick={() => window.print()} />
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
