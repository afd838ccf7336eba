import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  pathways as loadPathways,
  readDraft,
  saveModule,
  staleWriteOf,
  type FormDefinition,
  type PlanView,
  type StaleWrite,
} from '../../api/care-plan-api';
import { ApiProblem } from '../../api/http';
import { useLoaded } from '../../app/use-loaded';
import { BackLink } from '../../components/back-link/BackLink';
import type { ErrorSummaryItem } from '../../components/error-summary/ErrorSummary';
import { InsetText } from '../../components/inset-text/InsetText';
import { Textarea } from '../../components/textarea/Textarea';
import type { FlatContent } from '../../plan-form/flat-values';
import { sectionPatch } from '../../plan-form/section-patch';
import { SectionForm } from '../../plan-form/SectionForm';
import { usePerson } from '../person/person-context';
import { contentOnly } from './edit-state';
import { MergeChanges } from './MergeChanges';

/** The form of one section, generated from its template and the pathway's form definition. */
export function EditModulePage() {
  const { ehrId, nhsNumber } = usePerson();
  const { moduleId = '' } = useParams();
  const loaded = useLoaded(ehrId ? () => Promise.all([readDraft(ehrId), loadPathways()]) : undefined, `${ehrId}:${moduleId}`);
  if (loaded.status === 'loading') return <p role="status">Loading the form…</p>;
  if (loaded.status === 'failed')
    return <p>{loaded.error instanceof ApiProblem ? loaded.error.detail : 'The form could not be loaded. Try again.'}</p>;
  const [plan, allPathways] = loaded.value;
  const module = plan.modules.find((candidate) => candidate.moduleId === moduleId);
  const form = allPathways.flatMap((pathway) => pathway.modules).find((candidate) => candidate.id === moduleId)?.form;
  if (!module || !form) return <p>This plan has no section called {moduleId}.</p>;
  return (
    <ModuleForm
      key={`${plan.revision}`}
      plan={plan}
      moduleId={moduleId}
      title={module.title}
      form={form}
      initial={contentOnly(module.flat)}
      nhsNumber={nhsNumber}
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
  initial,
  nhsNumber,
}: {
  plan: PlanView;
  moduleId: string;
  title: string;
  form: FormDefinition;
  initial: FlatContent;
  nhsNumber: string;
}) {
  const navigate = useNavigate();
  const [kept] = useState(() => readKept(plan.ehrId, moduleId, plan.revision));
  const [flat, setFlat] = useState<FlatContent>(kept ?? initial);
  const [summary, setSummary] = useState<ErrorSummaryItem[]>([]);
  const [changeSummary, setChangeSummary] = useState('');
  const [stale, setStale] = useState<{ stale: StaleWrite; theirs: FlatContent } | undefined>();
  const [busy, setBusy] = useState(false);
  const base = `/people/${nhsNumber}/edit`;

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
