import { useState } from 'react';
import { useParams } from 'react-router';
import type { FormDefinition } from '../../api/care-plan-api';
import { embeddedForm } from '../../api/embed-api';
import { useLoaded } from '../../app/use-loaded';
import { InsetText } from '../../components/inset-text/InsetText';
import type { FlatContent } from '../../plan-form/flat-values';
import type { FormRule } from '../../plan-form/form-rules';
import { SectionForm } from '../../plan-form/SectionForm';
import { problemText } from '../admin/admin-format';
import { contentOnly } from '../edit/edit-state';

/**
 * A published form inside another record system's page (docs/interoperability.md, "Embedded
 * forms"): no header or navigation of the app, the person's current plan through the app's form
 * engine, read-only. It reads through the embedded session the system's launch started, which
 * reaches this one person only.
 */
export function EmbedPage() {
  const { pathway = '', nhsNumber = '' } = useParams();
  const loaded = useLoaded(() => embeddedForm(pathway, nhsNumber), `${pathway}:${nhsNumber}`);
  return (
    <div className="nhsuk-width-container-fluid app-embed">
      <main className="nhsuk-main-wrapper nhsuk-main-wrapper--s" id="maincontent" tabIndex={-1}>
        {loaded.status === 'loading' && <p role="status">Loading the form…</p>}
        {loaded.status === 'failed' && (
          <div className="nhsuk-error-summary" role="alert" aria-labelledby="embed-failed" tabIndex={-1}>
            <h1 className="nhsuk-error-summary__title" id="embed-failed">
              The form cannot be shown
            </h1>
            <div className="nhsuk-error-summary__body">
              <p>{problemText(loaded.error, 'The form could not be loaded.')}</p>
            </div>
          </div>
        )}
        {loaded.status === 'loaded' && (
          <>
            <h1>
              <span className="nhsuk-caption-l">NHS number {loaded.value.nhsNumber}</span>
              {loaded.value.pathway.title}
            </h1>
            <InsetText>
              <p>
                {loaded.value.plan
                  ? `The current plan (version ${loaded.value.plan.planVersion}), read-only. To change it, open the plan in Urgent Care Plan.`
                  : 'This person has no published plan yet.'}
              </p>
            </InsetText>
            {loaded.value.pathway.modules.map((module) => (
              <section key={module.id} aria-labelledby={`embed-${module.id}`}>
                <h2 id={`embed-${module.id}`}>{module.title}</h2>
                <EmbeddedModule
                  form={module.form}
                  rules={module.rules}
                  content={contentOnly(loaded.value.plan?.modules.find((held) => held.templateId === module.templateId)?.flat ?? null)}
                />
              </section>
            ))}
          </>
        )}
      </main>
    </div>
  );
}

function EmbeddedModule({ form, rules, content }: { form: FormDefinition; rules: FormRule[]; content: FlatContent }) {
  const [flat, setFlat] = useState(content);
  return (
    <SectionForm
      form={form}
      flat={flat}
      setFlat={(update) => setFlat(update)}
      busy={false}
      problems={[]}
      rules={rules}
      submitText=""
      readOnly
      onValid={() => undefined}
      heading={null}
    />
  );
}
