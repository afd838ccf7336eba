import { useEffect } from 'react';
import { useLocation } from 'react-router';
import { emergencySummary, type EmergencySummary, type Labelled } from '../../api/care-plan-api';
import { ApiProblem } from '../../api/http';
import { useLoaded } from '../../app/use-loaded';
import { AppLink } from '../../components/app-link';
import { Card } from '../../components/card/Card';
import { NotificationBanner } from '../../components/notification-banner/NotificationBanner';
import { SummaryList } from '../../components/summary-list/SummaryList';
import { WarningCallout } from '../../components/warning-callout/WarningCallout';
import { formatDate, formatDateTime } from '../../format/dates';
import { usePerson } from './person-context';

/**
 * The emergency summary: what a crew at 3 a.m. needs first, in the order they need it — the CPR
 * recommendation and focus of care, ceilings of treatment, what matters most, who to call, how to
 * get in, medicines, diagnoses and allergies — then links to the whole plan.
 */
export function EmergencySummaryPage() {
  const person = usePerson();
  const { ehrId, accessHeaders, refused, showPlan, liveVersion } = person;
  const summary = useLoaded(
    ehrId ? () => emergencySummary(ehrId, accessHeaders) : undefined,
    `${ehrId}:${JSON.stringify(accessHeaders)}`,
    String(liveVersion),
  );

  useEffect(() => {
    if (summary.status === 'failed') refused(summary.error);
    if (summary.status === 'loaded')
      showPlan({ status: summary.value.status, reviewDate: summary.value.reviewDate, reviewOverdue: summary.value.reviewOverdue });
  }, [summary, refused, showPlan]);

  if (summary.status === 'loading') return <p role="status">Loading the emergency summary…</p>;
  if (summary.status === 'failed') return <SummaryProblem error={summary.error} />;
  return <SummaryContent summary={summary.value} base={`/people/${person.nhsNumber}`} />;
}

function SummaryProblem({ error }: { error: unknown }) {
  if (error instanceof ApiProblem && error.status === 404)
    return (
      <>
        <h1>No published plan</h1>
        <p>This person has no published urgent care plan. A plan may be in draft: ask the person’s GP or care team.</p>
      </>
    );
  if (error instanceof ApiProblem && error.status === 410)
    return (
      <>
        <h1>This plan was deleted</h1>
        <p>{error.detail}</p>
      </>
    );
  return (
    <>
      <h1>You cannot see this plan</h1>
      <p>{error instanceof ApiProblem ? error.detail : 'The plan could not be loaded. Try again.'}</p>
    </>
  );
}

/** The summary's labels are the template's path of headings; the reader needs only the last one. */
function shortLabel(label: string): string {
  return label.split(' › ').at(-1) ?? label;
}

function labelledRows(items: readonly Labelled[]) {
  return items.map((item) => ({ key: { text: shortLabel(item.label) }, value: { text: item.value } }));
}

function sentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

function SummaryContent({ summary, base }: { summary: EmergencySummary; base: string }) {
  const cpr = summary.cpr;
  const location = useLocation();
  const published = (location.state as { published?: boolean } | null)?.published === true;
  return (
    <>
      {published && (
        <NotificationBanner type="success">
          <p className="nhsuk-notification-banner__heading">Version {summary.planVersion} of the plan is published.</p>
        </NotificationBanner>
      )}
      <h1 className="nhsuk-heading-l">Emergency summary</h1>
      {summary.death && (
        <WarningCallout heading="This person has died">
          <p>
            They died on {formatDate(summary.death.date)}
            {summary.death.place ? ` (${summary.death.place})` : ''}. The plan is closed.
          </p>
        </WarningCallout>
      )}
      {summary.reviewOverdue && summary.reviewDate && (
        <WarningCallout heading="Review overdue">
          <p>
            This plan was due for review on {formatDate(summary.reviewDate)}. It may be out of date: check with the person and their carers.
          </p>
        </WarningCallout>
      )}
      <div className="app-summary-grid">
        {cpr ? (
          <Card
            classes="app-summary-grid__wide"
            variant={cpr.notForCpr ? 'emergency' : 'non-urgent'}
            heading={cpr.notForCpr ? 'Not for CPR' : 'For CPR'}
          >
            <p>
              {sentence(cpr.recommendation)}
              {cpr.decidedOn ? ` Decided on ${formatDate(cpr.decidedOn)}.` : ''}
            </p>
            {summary.focusOfCare && (
              <p>
                <strong>Focus of care:</strong> {summary.focusOfCare}
              </p>
            )}
          </Card>
        ) : (
          <div className="app-summary-grid__wide">
            <WarningCallout heading="No CPR recommendation recorded">
              <p>The plan has no CPR recommendation. Follow your usual clinical guidance.</p>
            </WarningCallout>
          </div>
        )}
        {summary.ceilingOfTreatment && (
          <Card heading="Ceiling of treatment" variant="feature" classes="app-summary-grid__wide">
            <p>{summary.ceilingOfTreatment}</p>
          </Card>
        )}
        <Card heading="What matters most to them">
          {summary.whatMattersMost.length > 0 ? (
            <SummaryList rows={labelledRows(summary.whatMattersMost)} noBorder />
          ) : (
            <p>Not recorded.</p>
          )}
        </Card>
        <Card heading="Who to call first">
          {summary.whoToCallFirst.length > 0 ? (
            <ul className="nhsuk-list">
              {summary.whoToCallFirst.map((contact) => (
                <li key={`${contact.name}${contact.telephone ?? ''}`}>
                  <strong>{contact.name}</strong>
                  {contact.relationship ? ` (${contact.relationship})` : ''}
                  {contact.nextOfKin ? ', next of kin' : ''}
                  {contact.telephone && (
                    <>
                      <br />
                      <a href={`tel:${contact.telephone.replace(/\s/g, '')}`}>{contact.telephone}</a>
                    </>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <p>Not recorded.</p>
          )}
        </Card>
        {summary.homeAccess.length > 0 && (
          <Card heading="Getting into the home">
            <SummaryList rows={labelledRows(summary.homeAccess)} noBorder />
          </Card>
        )}
        <Card heading="Allergies">
          {summary.allergies.length > 0 ? (
            <ul className="nhsuk-list">
              {summary.allergies.map((allergy) => (
                <li key={allergy.substance}>
                  <strong>{allergy.substance}</strong>
                  {allergy.reaction ? `: ${allergy.reaction}` : ''}
                  {allergy.criticality ? ` (${allergy.criticality})` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p>{summary.noKnownAllergies ? 'No known allergies.' : 'Not recorded.'}</p>
          )}
        </Card>
        {summary.anticipatoryMedicines.length > 0 && (
          <Card heading="Anticipatory medicines">
            <SummaryList rows={labelledRows(summary.anticipatoryMedicines)} noBorder />
          </Card>
        )}
        {summary.diagnoses.length > 0 && (
          <Card heading="Diagnoses">
            <ul className="nhsuk-list nhsuk-list--bullet">
              {summary.diagnoses.map((diagnosis) => (
                <li key={diagnosis}>{diagnosis}</li>
              ))}
            </ul>
          </Card>
        )}
        {summary.advanceDecisions.length > 0 && (
          <Card heading="Advance decisions">
            <SummaryList rows={labelledRows(summary.advanceDecisions)} noBorder />
          </Card>
        )}
        {summary.legalProxies.length > 0 && (
          <Card heading="Lasting power of attorney and proxies">
            <SummaryList rows={labelledRows(summary.legalProxies)} noBorder />
          </Card>
        )}
        {summary.preferredPlaces.length > 0 && (
          <Card heading="Preferred places of care and death">
            <SummaryList rows={labelledRows(summary.preferredPlaces)} noBorder />
          </Card>
        )}
        {summary.pathwayHighlights.map((highlight) => (
          <Card key={highlight.pathwayId} heading={highlight.pathway}>
            <SummaryList rows={labelledRows(highlight.items)} noBorder />
          </Card>
        ))}
      </div>
      <h2>About this plan</h2>
      <SummaryList
        rows={[
          { key: { text: 'Version' }, value: { text: String(summary.planVersion) } },
          { key: { text: 'Last updated' }, value: { text: formatDateTime(summary.lastUpdated) } },
          ...(summary.approvedBy ? [{ key: { text: 'Approved by' }, value: { text: summary.approvedBy } }] : []),
          ...(summary.reviewDate ? [{ key: { text: 'Review by' }, value: { text: formatDate(summary.reviewDate) } }] : []),
        ]}
      />
      <h2>The whole plan</h2>
      <ul className="nhsuk-list">
        {summary.sections.map((section) => (
          <li key={section.moduleId}>
            <AppLink href={`${base}/plan/${section.moduleId}`}>{section.title}</AppLink>
          </li>
        ))}
      </ul>
    </>
  );
}
