import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  pathways as loadPathways,
  readDraft,
  saveModule,
  staleWriteOf,
  type FormDefinition,
  type FormField,
  type PlanView,
  type StaleWrite,
} from '../../api/care-plan-api';
import { ApiProblem } from '../../api/http';
import { useLoaded } from '../../app/use-loaded';
import { BackLink } from '../../components/back-link/BackLink';
import { Button } from '../../components/button/Button';
import { ErrorSummary, type ErrorSummaryItem } from '../../components/error-summary/ErrorSummary';
import { InsetText } from '../../components/inset-text/InsetText';
import { Textarea } from '../../components/textarea/Textarea';
import { controlId, fieldsOf, instancesOf, removeInstance, writeField, type FlatContent } from '../../plan-form/flat-values';
import { sectionPatch } from '../../plan-form/section-patch';
import { SectionFields, type FormState } from '../../plan-form/SectionFields';
import { fieldProblem } from '../../plan-form/validation';
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
  const [added, setAdded] = useState<Record<string, number[]>>({});
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [summary, setSummary] = useState<ErrorSummaryItem[]>([]);
  const [changeSummary, setChangeSummary] = useState('');
  const [stale, setStale] = useState<{ stale: StaleWrite; theirs: FlatContent } | undefined>();
  const [busy, setBusy] = useState(false);
  const base = `/people/${nhsNumber}/edit`;

  useEffect(() => {
    sessionStorage.setItem(keptKey(plan.ehrId, moduleId), JSON.stringify({ revision: plan.revision, flat }));
  }, [flat, plan.ehrId, plan.revision, moduleId]);

  const fields = useMemo(() => form.sections.flatMap((section) => fieldsOf(section, flat)), [form, flat]);

  const state: FormState = {
    flat,
    errors,
    setField: (field, path, value) => setFlat((current) => writeField(field, path, value, current)),
    checkField: (field: FormField, path: string) =>
      setErrors((current) => {
        const next = new Map(current);
        const problem = fieldProblem(field, readFieldValue(field, path, flat));
        if (problem) next.set(path, problem);
        else next.delete(path);
        return next;
      }),
    instances: (instanceBase) => {
      const present = instancesOf(instanceBase, flat);
      const all = [...new Set([...present, ...(added[instanceBase] ?? [])])].sort((a, b) => a - b);
      return all.length > 0 ? all : [0];
    },
    addInstance: (instanceBase, next) => setAdded((current) => ({ ...current, [instanceBase]: [...(current[instanceBase] ?? [0]), next] })),
    removeInstance: (instanceBase, index) => {
      setFlat((current) => removeInstance(instanceBase, index, current));
      setAdded((current) => ({
        ...current,
        [instanceBase]: (current[instanceBase] ?? []).filter((i) => i !== index).map((i) => (i > index ? i - 1 : i)),
      }));
    },
  };

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

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems = new Map<string, string>();
    for (const { field, path } of fields) {
      const problem = fieldProblem(field, readFieldValue(field, path, flat));
      if (problem) problems.set(path, problem);
    }
    setErrors(problems);
    const list = [...problems].map(([path, text]) => ({ text, href: `#${controlId(path)}` }));
    setSummary(list);
    if (list.length === 0) void save(flat, plan.revision, initial);
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
    <form onSubmit={submit} noValidate>
      <BackLink href={base} text="Back to the plan’s sections" />
      {summary.length > 0 && <ErrorSummary errorList={summary} />}
      <h1>{title}</h1>
      {kept && (
        <InsetText>
          <p>We kept the answers you had not saved yet. Save the section to keep them in the draft.</p>
        </InsetText>
      )}
      {form.sections.map((section) => (
        <SectionFields key={section.path} section={section} state={state} substitutions={[]} level={0} />
      ))}
      <Textarea
        id="module-change-summary"
        label={{ text: 'What you changed (optional)', size: 's' }}
        rows={2}
        value={changeSummary}
        onChange={setChangeSummary}
      />
      <Button text={busy ? 'Saving…' : 'Save this section'} disabled={busy} />
    </form>
  );
}

function readFieldValue(field: FormField, path: string, flat: FlatContent): string {
  const direct = flat[path];
  if (
    field.input === 'date' ||
    field.input === 'datetime' ||
    field.input === 'text' ||
    field.input === 'integer' ||
    field.input === 'duration'
  ) {
    return direct === undefined ? '' : field.input === 'duration' ? String(direct).replace(/^PT(\d+)M$/, '$1') : String(direct);
  }
  if (field.input === 'quantity') return String(flat[`${path}|magnitude`] ?? '');
  return String(direct ?? flat[`${path}|code`] ?? '');
}

function readKept(ehrId: string, moduleId: string, revision: number): FlatContent | undefined {
  try {
    const kept = JSON.parse(sessionStorage.getItem(keptKey(ehrId, moduleId)) ?? 'null') as { revision: number; flat: FlatContent } | null;
    return kept && kept.revision === revision ? kept.flat : undefined;
  } catch {
    return undefined;
  }
}
