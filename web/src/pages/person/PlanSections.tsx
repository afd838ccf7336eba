import { useEffect } from 'react';
import type { ModuleContent, Pathway, PlanView } from '../../api/care-plan-api';
import { Details } from '../../components/details/Details';
import { SummaryList } from '../../components/summary-list/SummaryList';
import { formatDateTime } from '../../format/dates';
import { readModule, type ReadableSection } from '../../plan/readable-plan';

/** Every section of the plan in plain language, in the pathway's order; codes behind a "Show the codes" link. */
export function PlanSections({
  plan,
  pathways,
  focus,
  showCodes = true,
}: {
  plan: PlanView;
  pathways: Pathway[];
  focus?: string;
  showCodes?: boolean;
}) {
  const forms = new Map(pathways.flatMap((pathway) => pathway.modules.map((module) => [module.id, module.form] as const)));
  useEffect(() => {
    if (!focus) return;
    const heading = document.getElementById(`section-${focus}`);
    heading?.focus();
    heading?.scrollIntoView({ block: 'start' });
  }, [focus]);
  return (
    <>
      {plan.modules.map((module) => {
        const form = forms.get(module.moduleId);
        const sections = form && module.flat ? readModule(form, module.flat) : [];
        return (
          <section key={module.moduleId} aria-labelledby={`section-${module.moduleId}`} className="nhsuk-u-margin-bottom-7">
            <h2 id={`section-${module.moduleId}`} tabIndex={-1}>
              {module.title}
            </h2>
            <ModuleMeta module={module} />
            {sections.length === 0 ? (
              <p>Nothing recorded.</p>
            ) : (
              sections.map((section, index) => <SectionView key={index} section={section} level={3} showCodes={showCodes} />)
            )}
          </section>
        );
      })}
    </>
  );
}

function ModuleMeta({ module }: { module: ModuleContent }) {
  if (!module.committedAt) return null;
  return (
    <p className="nhsuk-body-s">
      Recorded {formatDateTime(module.committedAt)}
      {module.committer ? ` by ${module.committer}` : ''}
    </p>
  );
}

function SectionView({ section, level, showCodes }: { section: ReadableSection; level: 3 | 4; showCodes: boolean }) {
  const Heading = level === 3 ? 'h3' : 'h4';
  const codes = section.fields.filter((field) => field.code !== undefined);
  return (
    <>
      <Heading className={level === 3 ? 'nhsuk-heading-s' : 'nhsuk-heading-xs'}>{section.label}</Heading>
      {section.fields.length > 0 && (
        <SummaryList rows={section.fields.map((field) => ({ key: { text: field.label }, value: { text: field.value } }))} />
      )}
      {showCodes && codes.length > 0 && (
        <Details summaryText={`Show the codes for ${section.label.toLowerCase()}`}>
          <ul className="nhsuk-list">
            {codes.map((field) => (
              <li key={`${field.label}${field.code}`}>
                {field.label}: {field.value} — {field.code}
              </li>
            ))}
          </ul>
        </Details>
      )}
      {section.sections.map((child, index) => (
        <SectionView key={index} section={child} level={4} showCodes={showCodes} />
      ))}
    </>
  );
}
