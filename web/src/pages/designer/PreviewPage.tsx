import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import type { FormDefinition, PlanView } from '../../api/care-plan-api';
import { previewOver, type DesignedModule } from '../../api/designer-api';
import { Main } from '../../app/Layout';
import { useLoaded } from '../../app/use-loaded';
import { BackLink } from '../../components/back-link/BackLink';
import { Button } from '../../components/button/Button';
import { InsetText } from '../../components/inset-text/InsetText';
import { Input } from '../../components/input/Input';
import type { FlatContent } from '../../plan-form/flat-values';
import { SectionForm } from '../../plan-form/SectionForm';
import { problemText } from '../admin/admin-format';
import { contentOnly } from '../edit/edit-state';
import { sampleContent } from './design-form';
import { NotLoaded } from './NotLoaded';
import { useVersion } from './use-version';

/**
 * A version's forms as clinicians will see them, through the same form engine as the app
 * (SectionForm with the module's rules), in a phone-sized and a desktop-sized frame: with
 * generated sample data to try the rules, or read-only over a real person's current plan. The
 * real plan is shown only when the designer may read it under the ordinary rules, and reading it
 * is audited like any other read; nothing is saved from a preview, and the server refuses any
 * write the preview's requests could make.
 */
export function PreviewPage() {
  const { key = '', version = '' } = useParams();
  const loaded = useVersion(key, Number(version));
  const [person, setPerson] = useState<string | undefined>();
  if (loaded.status !== 'loaded')
    return <NotLoaded loaded={loaded} loading="Loading the preview…" failed="The preview could not be loaded." />;
  const { version: loadedVersion, formOf } = loaded.value;
  return (
    <Main wide>
      <BackLink href={`/designer/${key}/versions/${version}`} text={`Back to version ${version}`} />
      <h1>
        <span className="nhsuk-caption-l">{loadedVersion.definition.title}</span>
        Preview of version {version}
      </h1>
      <PersonPicker chosen={person} onChoose={setPerson} />
      {person === undefined ? (
        <>
          <InsetText>
            <p>The forms with sample data and their rules working. Try the answers: what you change here is not saved.</p>
          </InsetText>
          {loadedVersion.definition.modules.map((module) => (
            <ModulePreview key={module.id} module={module} form={formOf(module)} content={undefined} />
          ))}
        </>
      ) : (
        <OverPerson keyOf={key} version={Number(version)} nhsNumber={person} modules={loadedVersion.definition.modules} formOf={formOf} />
      )}
    </Main>
  );
}

/** Choosing whose plan to preview over, by NHS number; or back to sample data. */
function PersonPicker({ chosen, onChoose }: { chosen: string | undefined; onChoose(nhsNumber: string | undefined): void }) {
  const [typed, setTyped] = useState(chosen ?? '');
  const [error, setError] = useState<string | undefined>();
  function submit(event: FormEvent) {
    event.preventDefault();
    const nhsNumber = typed.replace(/\s/g, '');
    if (!/^\d{10}$/.test(nhsNumber)) {
      setError('Enter an NHS number of 10 digits');
      return;
    }
    setError(undefined);
    onChoose(nhsNumber);
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="preview-person">
      <h2 id="preview-person">Preview over a person’s plan</h2>
      <Input
        id="preview-nhs-number"
        label={{ text: 'NHS number' }}
        hint={{
          text: 'Read-only. You see the plan only if you may read it (your organisation’s relationship with the person), and reading it is recorded in the audit log.',
        }}
        {...(error ? { errorMessage: { text: error } } : {})}
        inputmode="numeric"
        autocomplete="off"
        classes="nhsuk-input--width-10"
        value={typed}
        onChange={setTyped}
      />
      <div className="nhsuk-button-group">
        <Button text="Preview over this plan" />
        {chosen !== undefined && (
          <Button
            text="Use sample data instead"
            type="button"
            variant="secondary"
            onClick={() => {
              setTyped('');
              onChoose(undefined);
            }}
          />
        )}
      </div>
    </form>
  );
}

function OverPerson({
  keyOf,
  version,
  nhsNumber,
  modules,
  formOf,
}: {
  keyOf: string;
  version: number;
  nhsNumber: string;
  modules: readonly DesignedModule[];
  formOf(module: DesignedModule): FormDefinition | undefined;
}) {
  const loaded = useLoaded(() => previewOver(keyOf, version, nhsNumber), `${keyOf}:${version}:${nhsNumber}`);
  if (loaded.status === 'loading') return <p role="status">Loading the person’s plan…</p>;
  if (loaded.status === 'failed')
    return (
      <div className="nhsuk-error-summary" role="alert" aria-labelledby="preview-refused" tabIndex={-1}>
        <h2 className="nhsuk-error-summary__title" id="preview-refused">
          The plan cannot be previewed
        </h2>
        <div className="nhsuk-error-summary__body">
          <p>{problemText(loaded.error, 'The person’s plan could not be loaded.')}</p>
        </div>
      </div>
    );
  const { plan } = loaded.value;
  if (!plan) return <p>There is no published plan for NHS number {nhsNumber}.</p>;
  return (
    <>
      <InsetText>
        <p>
          Version {version} over the current plan of NHS number {nhsNumber} (plan version {plan.planVersion}). Read-only: nothing can be
          saved from here.
        </p>
      </InsetText>
      {modules.map((module) => (
        <ModulePreview
          key={`${nhsNumber}:${module.id}`}
          module={module}
          form={formOf(module)}
          content={contentOf(plan, module.templateId)}
        />
      ))}
    </>
  );
}

/** The person's content of the module's template (empty when their plan has none). */
function contentOf(plan: PlanView, templateId: string): FlatContent {
  return contentOnly(plan.modules.find((module) => module.templateId === templateId)?.flat ?? null);
}

function ModulePreview({
  module,
  form,
  content,
}: {
  module: DesignedModule;
  form: FormDefinition | undefined;
  /** The person's content (read-only); undefined: sample data to try. */
  content: FlatContent | undefined;
}) {
  if (!form) return <p>{module.title}: the form is not available.</p>;
  return (
    <section aria-labelledby={`preview-${module.id}`}>
      <h2 id={`preview-${module.id}`}>{module.title}</h2>
      <div className="app-preview-frames">
        <PreviewFrame frame="phone" module={module} form={form} content={content} />
        <PreviewFrame frame="desktop" module={module} form={form} content={content} />
      </div>
    </section>
  );
}

/** One frame: its own copy of the content, so each can be tried separately. */
function PreviewFrame({
  frame,
  module,
  form,
  content,
}: {
  frame: 'phone' | 'desktop';
  module: DesignedModule;
  form: FormDefinition;
  content: FlatContent | undefined;
}) {
  const [flat, setFlat] = useState<FlatContent>(() => content ?? sampleContent(form));
  const [checked, setChecked] = useState(false);
  const label = frame === 'phone' ? 'On a phone' : 'On a desktop';
  return (
    <div className={`app-preview-frame app-preview-frame--${frame}`} role="region" aria-label={`${module.title}, ${label.toLowerCase()}`}>
      <p className="nhsuk-caption-m">{label}</p>
      <SectionForm
        form={form}
        idPrefix={`${frame}-`}
        flat={flat}
        setFlat={(update) => setFlat(update)}
        busy={false}
        problems={[]}
        rules={module.rules ?? []}
        submitText="Check the answers"
        readOnly={content !== undefined}
        onValid={() => setChecked(true)}
        heading={checked ? <p role="status">The answers pass every check.</p> : null}
      />
    </div>
  );
}
