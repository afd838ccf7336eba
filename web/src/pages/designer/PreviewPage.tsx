import { useState } from 'react';
import { useParams } from 'react-router';
import type { FormDefinition } from '../../api/care-plan-api';
import type { DesignedModule } from '../../api/designer-api';
import { Main } from '../../app/Layout';
import { BackLink } from '../../components/back-link/BackLink';
import { InsetText } from '../../components/inset-text/InsetText';
import type { FlatContent } from '../../plan-form/flat-values';
import { SectionForm } from '../../plan-form/SectionForm';
import { sampleContent } from './design-form';
import { NotLoaded } from './NotLoaded';
import { useVersion } from './use-version';

/**
 * A version's forms as clinicians will see them, with generated sample data: the same form engine
 * as the app (SectionForm with the module's rules), in a phone-sized and a desktop-sized frame.
 * Nothing is saved.
 */
export function PreviewPage() {
  const { key = '', version = '' } = useParams();
  const loaded = useVersion(key, Number(version));
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
      <InsetText>
        <p>The forms with sample data and their rules working. Try the answers: what you change here is not saved.</p>
      </InsetText>
      {loadedVersion.definition.modules.map((module) => {
        const form = formOf(module);
        return form ? (
          <ModulePreview key={module.id} module={module} form={form} />
        ) : (
          <p key={module.id}>{module.title}: the form is not available.</p>
        );
      })}
    </Main>
  );
}

function ModulePreview({ module, form }: { module: DesignedModule; form: FormDefinition }) {
  return (
    <section aria-labelledby={`preview-${module.id}`}>
      <h2 id={`preview-${module.id}`}>{module.title}</h2>
      <div className="app-preview-frames">
        <PreviewFrame frame="phone" module={module} form={form} />
        <PreviewFrame frame="desktop" module={module} form={form} />
      </div>
    </section>
  );
}

/** One frame: its own copy of the sample content, so each can be tried separately. */
function PreviewFrame({ frame, module, form }: { frame: 'phone' | 'desktop'; module: DesignedModule; form: FormDefinition }) {
  const [flat, setFlat] = useState<FlatContent>(() => sampleContent(form));
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
        onValid={() => setChecked(true)}
        heading={checked ? <p role="status">The answers pass every check.</p> : null}
      />
    </div>
  );
}
