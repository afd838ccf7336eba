import { useEffect } from 'react';
import { useParams } from 'react-router';
import { publishedPlan, readablePathways } from '../../api/care-plan-api';
import { ApiProblem } from '../../api/http';
import { useLoaded } from '../../app/use-loaded';
import { formatDate } from '../../format/dates';
import { usePerson } from './person-context';
import { PlanSections } from './PlanSections';

/** The whole published plan, section by section, in plain language. */
export function PlanPage() {
  const { ehrId, accessHeaders, refused, showPlan, liveVersion } = usePerson();
  const { moduleId } = useParams();
  const loaded = useLoaded(
    ehrId ? () => Promise.all([publishedPlan(ehrId, accessHeaders), readablePathways()]) : undefined,
    `${ehrId}:${JSON.stringify(accessHeaders)}`,
    String(liveVersion),
  );
  useEffect(() => {
    if (loaded.status === 'failed') refused(loaded.error);
    if (loaded.status === 'loaded') {
      const [plan] = loaded.value;
      showPlan({ status: plan.status, reviewDate: plan.reviewDate, ...(plan.header.consent ? { consent: plan.header.consent } : {}) });
    }
  }, [loaded, refused, showPlan]);

  if (loaded.status === 'loading') return <p role="status">Loading the plan…</p>;
  if (loaded.status === 'failed')
    return (
      <>
        <h1>The plan cannot be shown</h1>
        <p>{loaded.error instanceof ApiProblem ? loaded.error.detail : 'Try again.'}</p>
      </>
    );
  const [plan, allPathways] = loaded.value;
  return (
    <>
      <h1 className="nhsuk-heading-l">Urgent care plan</h1>
      <p className="nhsuk-lede-text">
        Version {plan.planVersion}
        {plan.header.approver ? `, approved by ${plan.header.approver.name}` : ''}
        {plan.header.approvedAt ? ` on ${formatDate(plan.header.approvedAt)}` : ''}.
      </p>
      <PlanSections plan={plan} pathways={allPathways} {...(moduleId ? { focus: moduleId } : {})} />
    </>
  );
}
