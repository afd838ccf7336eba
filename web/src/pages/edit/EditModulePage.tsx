import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  pathways as loadPathways,
  readDraft,
  saveModule,
  staleWriteOf,
  type FormDefinition,
  type PathwayModule,
  type PlanView,
  type StaleWrite,
} from '../../api/care-plan-api';
import { ApiProblem } from '../../api/http';
import { useLoaded } from '../../app/use-loaded';
import { BackLink } from '../../components/back-link/BackLink';
import type { ErrorSummaryItem } from '../../components/error-summary/ErrorSummary';
import { InsetText } from '../../components/inset-text/InsetText';
import { Textarea } from '../../components/textarea/Textarea';
import type { Person } from '../../api/people-api';
import type { FlatContent } from '../../plan-form/flat-values';
import { prefillTarget, runPrefills } from '../../plan-form/prefill';
import { applyPrefills } from '../../plan-form/prefill-values';
import { sectionPatch } from '../../plan-form/section-patch';
import { SectionForm } from '../../plan-form/SectionForm';
import { usePerson } from '../person/person-context';
import { contentOnly } from './edit-state';
import { MergeChanges } from './MergeChanges';

/** The form of one section, generated from its template and the pathway's form definition. */
export function EditModulePage() {
  const { ehrId, nhsNumber, identity } = usePerson();
  const { moduleId = '' } = useParams();
  const loaded = useLoaded(ehrId ? () => Promise.all([readDraft(ehrId), loadPathways()]) : undefined, `${ehrId}:${moduleId}`);
  if (loaded.status === 'loading') return <p role="status">Loading the form…</p>;
  if (loaded.status === 'failed')
    return <p>{loaded.error instanceof ApiProblem ? loaded.error.detail : 'The form could not be loaded. Try again.'}</p>;
  const [plan, allPathways] = loaded.value;
  const module = plan.modules.find((candidate) => candidate.moduleId === moduleId);
  const definition = allPathways.flatMap((pathway) => pathway.modules).find((candidate) => candidate.id === moduleId);
  const form = definition?.form;
  if (!module || !definition || !form) return <p>This plan has no section called {moduleId}.</p>;
  return (
    <ModuleForm
      key={`${plan.revision}`}
      plan={plan}
      moduleId={moduleId}
      title={module.title}
      form={form}
      definition={definition}
      initial={contentOnly(module.flat)}
      nhsNumber={nhsNumber}
      person={identity?.kind === 'found' ? identity.person : undefined}
    />
  );
}

/** Unsaved answers are kept in this tab as they are typed, so a lost connection or a mis-tap loses nothing. */
const keptKey = (ehrId: string, moduleId: string) => `ucp-unsaved:${ehrId}:${moduleId}`;

function ModuleForm({
  plan,
  moduleId,
  title,
  form,
  definition,
  initial,
  nhsNumber,
  person,
}: {
  plan: PlanView;
  moduleId: string;
  title: string;
  form: FormDefinition;
  definition: PathwayModule;
  initial: FlatContent;
  nhsNumber: string;
  person: Person | undefined;
}) {
  const navigate = useNavigate();
  const [kept] = useState(() => readKept(plan.ehrId, moduleId, plan.revision));
  const [flat, setFlat] = useState<FlatContent>(kept ?? initial);
  const [summary, setSummary] = useState<ErrorSummaryItem[]>([]);
  const [changeSummary, setChangeSummary] = useState('');
  const [stale, setStale] = useState<{ stale: StaleWrite; theirs: FlatContent } | undefined>();
  const [busy, setBusy] = useState(false);
  const base = `/people/${nhsNumber}/edit`;

  // The module's prefills fill the fields still empty once their answers arrive; what is typed stays.
  const prefills = definition.prefill;
  useEffect(() => {
    if (!prefills || prefills.length === 0) return;
    let current = true;
    void runPrefills(prefills, plan.ehrId, person).then((values) => {
      if (current) setFlat((content) => applyPrefills(content, values, prefillTarget(form)));
    });
    return () => {
      current = false;
    };
  }, [prefills, form, plan.ehrId, person]);

  useEffect(() => {
    sessionStorage.setItem(keptKey(plan.ehrId, moduleId), JSON.stringify({ revision: plan.revision, flat }));
  }, [flat, plan.ehrId, plan.revision, moduleId]);

  /** Sends what changed from `opened`, the section as it was at `revision`: a full-form save never touches what the editor left alone. */
  async function save(content: FlatContent, revision: number, opened: FlatContent) {
    setBusy(true);
    try {
      const saved = await saveModule(plan.ehrId, moduleId, sectionPatch(opened, content), revision, changeSummary || undefined);
      sessionStorage.removeItem(keptKey(plan.ehrId, moduleId));
      navigate(base, { state: { saved: title, incomplete: saved.body.incomplete.length } });
    } catch (error) {
      const staleWrite = staleWriteOf(error);
      if (staleWrite) {
        const current = await readDraft(plan.ehrId);
        const theirs = contentOnly(current.modules.find((candidate) => candidate.moduleId === moduleId)?.flat ?? null);
        setStale({ stale: staleWrite, theirs });
      } else setSummary([{ text: error instanceof ApiProblem ? error.detail : 'The section could not be saved. Try again.' }]);
    } finally {
      setBusy(false);
    }
  }

  if (stale)
    return (
      <MergeChanges
        moduleId={moduleId}
        title={title}
        mine={flat}
        base={initial}
        theirs={stale.theirs}
        stale={stale.stale}
        busy={busy}
        onMerged={(merged) => {
          setFlat(merged);
          setStale(undefined);
          void save(merged, stale.stale.currentRevision, stale.theirs);
        }}
      />
    );

  return (
    <SectionForm
      form={form}
      flat={flat}
      setFlat={setFlat}
      busy={busy}
      problems={summary}
      rules={definition.rules ?? []}
      submitText="Save this section"
      onValid={(content) => void save(content, plan.revision, initial)}
      heading={
        <>
          <BackLink href={base} text="Back to the plan’s sections" />
          <h1>{title}</h1>
          {kept && (
            <InsetText>
              <p>We kept the answers you had not saved yet. Save the section to keep them in the draft.</p>
            </InsetText>
          )}
        </>
      }
    >
      <Textarea
        id="module-change-summary"
        label={{ text: 'What you changed (optional)', size: 's' }}
        rows={2}
        value={changeSummary}
        onChange={setChangeSummary}
      />
    </SectionForm>
  );
}

function readKept(ehrId: string, moduleId: string, revision: number): FlatContent | undefined {
  try {
    const kept = JSON.parse(sessionStorage.getItem(keptKey(ehrId, moduleId)) ?? 'null') as { revision: number; flat: FlatContent } | null;
    return kept && kept.revision === revision ? kept.flat : undefined;
  } catch {
    return undefined;
  }
}
