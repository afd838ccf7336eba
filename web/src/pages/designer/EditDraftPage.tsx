import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { FormDefinition } from '../../api/care-plan-api';
import { saveDraft, type DesignedModule, type PathwayDefinition, type SafetyNote } from '../../api/designer-api';
import { ApiProblem } from '../../api/http';
import { Main } from '../../app/Layout';
import { BackLink } from '../../components/back-link/BackLink';
import { Button } from '../../components/button/Button';
import { Checkboxes } from '../../components/checkboxes/Checkboxes';
import { ErrorSummary, type ErrorSummaryItem } from '../../components/error-summary/ErrorSummary';
import { Fieldset } from '../../components/fieldset/Fieldset';
import { Input } from '../../components/input/Input';
import { Select } from '../../components/select/Select';
import { Table } from '../../components/table/Table';
import { Textarea } from '../../components/textarea/Textarea';
import type { FormRule, RuleAction } from '../../plan-form/form-rules';
import type { FormPrefill } from '../../plan-form/prefill-values';
import { problemText } from '../admin/admin-format';
import { fieldList, ruleText, withOverrides } from './design-form';
import { NotLoaded } from './NotLoaded';
import { useVersion, type VersionWithForms } from './use-version';

/** The rule the "required fields" choice is kept in: a field required whenever the form is filled. */
const REQUIRED_RULE = 'required-fields';
const ALWAYS = { '!!': [true] };

/** Edit a draft: module titles, labels and help, required fields, rules, prefills and clinical safety notes. */
export function EditDraftPage() {
  const { key = '', version = '' } = useParams();
  const loaded = useVersion(key, Number(version));
  if (loaded.status !== 'loaded') return <NotLoaded loaded={loaded} loading="Loading the draft…" failed="The draft could not be loaded." />;
  if (loaded.value.version.status !== 'draft')
    return (
      <Main>
        <p>Version {version} is not a draft: only a draft can be changed. Copy it into a new draft from the pathway’s page.</p>
      </Main>
    );
  return <DraftEditor key={`${key}:${version}`} loaded={loaded.value} />;
}

function DraftEditor({ loaded }: { loaded: VersionWithForms }) {
  const navigate = useNavigate();
  const { version } = loaded;
  const [definition, setDefinition] = useState<PathwayDefinition>(() => structuredClone(version.definition));
  const [notes, setNotes] = useState<SafetyNote[]>(() => structuredClone(version.safetyNotes));
  const [problems, setProblems] = useState<ErrorSummaryItem[]>([]);
  const [busy, setBusy] = useState(false);
  const base = `/designer/${version.pathwayKey}/versions/${version.version}`;

  const changeModule = (index: number, change: (module: DesignedModule) => DesignedModule) =>
    setDefinition((current) => ({ ...current, modules: current.modules.map((module, at) => (at === index ? change(module) : module)) }));

  async function save(then: string) {
    setBusy(true);
    setProblems([]);
    try {
      await saveDraft(version.pathwayKey, version.version, definition, notes);
      navigate(then);
    } catch (error) {
      const issues = error instanceof ApiProblem ? error.issues : [];
      setProblems(
        issues.length > 0
          ? issues.map((issue) => ({ text: `${issue.message} (${issue.path})` }))
          : [{ text: problemText(error, 'The draft could not be saved. Try again.') }],
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <Main>
      <BackLink href={base} text={`Back to version ${version.version}`} />
      {problems.length > 0 && <ErrorSummary errorList={problems} />}
      <h1>
        <span className="nhsuk-caption-l">{definition.title}</span>
        Edit draft version {version.version}
      </h1>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save(base);
        }}
      >
        {definition.modules.map((module, index) => {
          const original = version.definition.modules.find((candidate) => candidate.id === module.id);
          const form = original ? loaded.formOf(original) : undefined;
          return <ModuleEditor key={module.id} module={module} form={form} onChange={(change) => changeModule(index, change)} />;
        })}
        <SafetyNotes notes={notes} setNotes={setNotes} />
        <div className="nhsuk-button-group">
          <Button text={busy ? 'Saving…' : 'Save the draft'} disabled={busy} />
          <Button type="button" variant="secondary" text="Save and preview" disabled={busy} onClick={() => void save(`${base}/preview`)} />
        </div>
      </form>
    </Main>
  );
}

function ModuleEditor({
  module,
  form,
  onChange,
}: {
  module: DesignedModule;
  form: FormDefinition | undefined;
  onChange(change: (module: DesignedModule) => DesignedModule): void;
}) {
  // The form as the draft now reads, so pickers and rules show the labels just typed.
  const shown = form ? withOverrides(form, module.form) : undefined;
  const fields = shown ? fieldList(shown) : [];
  const labels = module.form?.labels ?? {};
  const help = module.form?.help ?? {};
  const rules = module.rules ?? [];
  const required =
    rules.find((rule) => rule.id === REQUIRED_RULE)?.then.flatMap((action) => ('require' in action ? [action.require] : [])) ?? [];
  const others = rules.filter((rule) => rule.id !== REQUIRED_RULE);
  // A label cannot be empty (an emptied one goes back to the template's); help can be.
  const overrides = (kind: 'labels' | 'help', path: string, value: string) =>
    onChange((current) => {
      const map = Object.fromEntries(Object.entries(current.form?.[kind] ?? {}).filter(([at]) => at !== path));
      if (kind === 'help' || value.trim() !== '') map[path] = value;
      return { ...current, form: { ...current.form, [kind]: map } };
    });
  const setRules = (next: FormRule[]) => onChange((current) => ({ ...current, rules: next }));
  const setRequired = (paths: string[]) =>
    setRules([
      ...others,
      ...(paths.length > 0
        ? [{ id: REQUIRED_RULE, description: 'Fields the plan must have', when: ALWAYS, then: paths.map((path) => ({ require: path })) }]
        : []),
    ]);
  const idBase = `m-${module.id}`;

  return (
    <section aria-labelledby={`${idBase}-heading`}>
      <h2 id={`${idBase}-heading`}>{module.title}</h2>
      <Input
        id={`${idBase}-title`}
        label={{ text: 'Module title', size: 's' }}
        value={module.title}
        onChange={(title) => onChange((current) => ({ ...current, title }))}
      />
      {!form && <p>The form of this module’s template is not available, so its fields cannot be changed here.</p>}
      {fields.map((field, index) => (
        <Fieldset key={field.path} legend={{ text: `Field ${index + 1}: ${labels[field.path] ?? field.label}`, size: 's' }}>
          <Input
            id={`${idBase}-label-${index}`}
            label={{ text: 'Label', size: 's' }}
            value={labels[field.path] ?? field.label}
            onChange={(value) => overrides('labels', field.path, value)}
          />
          <Input
            id={`${idBase}-help-${index}`}
            label={{ text: 'Help text', size: 's' }}
            value={help[field.path] ?? field.help}
            onChange={(value) => overrides('help', field.path, value)}
          />
        </Fieldset>
      ))}
      {fields.length > 0 && (
        <Checkboxes
          idPrefix={`${idBase}-required`}
          fieldset={{ legend: { text: 'Required fields', size: 's' } }}
          hint={{ text: 'A clinician cannot save the section without these.' }}
          items={fields.filter((field) => !field.required).map((field) => ({ value: field.path, text: labels[field.path] ?? field.label }))}
          values={required}
          onChange={setRequired}
        />
      )}
      <h3>Rules</h3>
      {others.length === 0 ? (
        <p>No rules yet.</p>
      ) : (
        <Table
          caption={`Rules of ${module.title}`}
          head={['Rule', 'Action']}
          rows={others.map((rule) => [
            shown ? ruleText(shown, rule) : rule.id,
            <Button
              key="remove"
              type="button"
              variant="secondary"
              small
              text={`Remove rule ${rule.id}`}
              onClick={() => setRules(rules.filter((candidate) => candidate !== rule))}
            />,
          ])}
        />
      )}
      {shown && <AddRule idBase={idBase} form={shown} existing={rules} onAdd={(rule) => setRules([...rules, rule])} />}
      <h3>Prefills</h3>
      {(module.prefill ?? []).length > 0 && (
        <Table
          caption={`Prefills of ${module.title}`}
          head={['Field', 'From', 'Action']}
          rows={(module.prefill ?? []).map((prefill) => [
            fields.find((field) => field.path === prefill.path)?.label ?? prefill.path,
            'demographics' in prefill.from
              ? `Demographics: ${prefill.from.demographics}`
              : `Their record (AQL, column ${prefill.from.column})`,
            <Button
              key="remove"
              type="button"
              variant="secondary"
              small
              text="Remove prefill"
              onClick={() =>
                onChange((current) => ({ ...current, prefill: (current.prefill ?? []).filter((candidate) => candidate !== prefill) }))
              }
            />,
          ])}
        />
      )}
      {shown && (
        <AddPrefill
          idBase={idBase}
          form={shown}
          onAdd={(prefill) =>
            onChange((current) => ({ ...current, prefill: [...(current.prefill ?? []).filter((p) => p.path !== prefill.path), prefill] }))
          }
        />
      )}
    </section>
  );
}

const ACTIONS = [
  { value: 'show-require', text: 'show it and make it required' },
  { value: 'show', text: 'show it' },
  { value: 'require', text: 'make it required' },
  { value: 'hide', text: 'hide it' },
  { value: 'clear', text: 'clear it' },
];

function actionsFor(kind: string, path: string): RuleAction[] {
  switch (kind) {
    case 'show-require':
      return [{ show: path }, { require: path }];
    case 'show':
      return [{ show: path }];
    case 'require':
      return [{ require: path }];
    case 'hide':
      return [{ hide: path }];
    default:
      return [{ clear: path }];
  }
}

/** Add a when/then rule: when a choice has a value, do something to another field. Fields are picked from the template's. */
function AddRule({
  idBase,
  form,
  existing,
  onAdd,
}: {
  idBase: string;
  form: FormDefinition;
  existing: FormRule[];
  onAdd(rule: FormRule): void;
}) {
  const fields = fieldList(form);
  const choices = fields.filter((field) => ['boolean', 'select'].includes(field.input));
  const [when, setWhen] = useState('');
  const [value, setValue] = useState('');
  const [action, setAction] = useState('show-require');
  const [target, setTarget] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const chosen = choices.find((field) => field.path === when);
  const values =
    chosen?.input === 'boolean'
      ? [
          { value: 'true', text: 'Yes' },
          { value: 'false', text: 'No' },
        ]
      : (chosen?.options ?? []).map((option) => ({ value: option.value, text: option.label }));
  function add() {
    if (!chosen || value === '' || target === '') return setProblem('Choose the field, its answer and the field the rule changes');
    const compared: string | boolean = chosen.input === 'boolean' ? value === 'true' : value;
    let n = existing.length + 1;
    while (existing.some((rule) => rule.id === `rule-${n}`)) n += 1;
    onAdd({ id: `rule-${n}`, when: { '==': [{ var: chosen.path }, compared] }, then: actionsFor(action, target) });
    setProblem(undefined);
    setWhen('');
    setValue('');
    setTarget('');
  }
  return (
    <Fieldset legend={{ text: 'Add a rule', size: 's' }}>
      {problem && <p className="nhsuk-error-message">{problem}</p>}
      <Select
        id={`${idBase}-rule-when`}
        label={{ text: 'When this field' }}
        items={[{ value: '', text: 'Choose a field' }, ...choices.map((field) => ({ value: field.path, text: field.label }))]}
        value={when}
        onChange={(next) => {
          setWhen(next);
          setValue('');
        }}
      />
      <Select
        id={`${idBase}-rule-value`}
        label={{ text: 'Has the answer' }}
        items={[{ value: '', text: 'Choose an answer' }, ...values]}
        value={value}
        onChange={setValue}
      />
      <Select id={`${idBase}-rule-action`} label={{ text: 'Then' }} items={ACTIONS} value={action} onChange={setAction} />
      <Select
        id={`${idBase}-rule-target`}
        label={{ text: 'This field' }}
        items={[
          { value: '', text: 'Choose a field' },
          ...fields.filter((field) => field.path !== when).map((field) => ({ value: field.path, text: field.label })),
        ]}
        value={target}
        onChange={setTarget}
      />
      <Button type="button" variant="secondary" text="Add this rule" onClick={add} />
    </Fieldset>
  );
}

const SOURCES = [
  { value: 'name', text: 'The person’s name' },
  { value: 'birthDate', text: 'Their date of birth' },
  { value: 'address', text: 'Their address' },
  { value: 'gp', text: 'Their registered GP practice' },
  { value: 'aql', text: 'A question of their record (AQL)' },
];

/** Add a prefill: a field filled, when empty, from the person's demographics or an AQL question of their record. */
function AddPrefill({ idBase, form, onAdd }: { idBase: string; form: FormDefinition; onAdd(prefill: FormPrefill): void }) {
  const fields = fieldList(form).filter((field) => ['text', 'date'].includes(field.input));
  const [path, setPath] = useState('');
  const [source, setSource] = useState('name');
  const [aql, setAql] = useState('');
  const [column, setColumn] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  function add() {
    if (path === '') return setProblem('Choose the field to fill');
    if (source === 'aql' && (aql.trim() === '' || column.trim() === '')) return setProblem('Enter the AQL and the column it selects');
    const from: FormPrefill['from'] =
      source === 'aql' ? { aql: aql.trim(), column: column.trim() } : { demographics: source as 'name' | 'birthDate' | 'address' | 'gp' };
    onAdd({ path, from });
    setProblem(undefined);
    setPath('');
  }
  return (
    <Fieldset legend={{ text: 'Add a prefill', size: 's' }}>
      {problem && <p className="nhsuk-error-message">{problem}</p>}
      <Select
        id={`${idBase}-prefill-field`}
        label={{ text: 'Fill this field' }}
        items={[{ value: '', text: 'Choose a field' }, ...fields.map((field) => ({ value: field.path, text: field.label }))]}
        value={path}
        onChange={setPath}
      />
      <Select id={`${idBase}-prefill-source`} label={{ text: 'From' }} items={SOURCES} value={source} onChange={setSource} />
      {source === 'aql' && (
        <>
          <Textarea
            id={`${idBase}-prefill-aql`}
            label={{ text: 'AQL' }}
            hint={{ text: 'Confined to the person’s record with $ehr_id; name the column with AS.' }}
            value={aql}
            onChange={setAql}
          />
          <Input id={`${idBase}-prefill-column`} label={{ text: 'Column' }} value={column} onChange={setColumn} />
        </>
      )}
      <Button type="button" variant="secondary" text="Add this prefill" onClick={add} />
    </Fieldset>
  );
}

/** The clinical safety notes: each hazard with its controls (docs/clinical-safety.md). */
function SafetyNotes({ notes, setNotes }: { notes: SafetyNote[]; setNotes(notes: SafetyNote[]): void }) {
  const [hazard, setHazard] = useState('');
  const [controls, setControls] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  return (
    <section aria-labelledby="safety-heading">
      <h2 id="safety-heading">Clinical safety notes</h2>
      {notes.length > 0 && (
        <Table
          caption="Hazards and their controls"
          head={['Hazard', 'Controls', 'Action']}
          rows={notes.map((note, index) => [
            note.hazard,
            note.controls,
            <Button
              key="remove"
              type="button"
              variant="secondary"
              small
              text={`Remove hazard ${index + 1}`}
              onClick={() => setNotes(notes.filter((_, at) => at !== index))}
            />,
          ])}
        />
      )}
      <Fieldset legend={{ text: 'Add a hazard', size: 's' }}>
        {problem && <p className="nhsuk-error-message">{problem}</p>}
        <Textarea
          id="safety-hazard"
          label={{ text: 'Hazard' }}
          hint={{ text: 'What could harm a person through this pathway' }}
          rows={2}
          value={hazard}
          onChange={setHazard}
        />
        <Textarea
          id="safety-controls"
          label={{ text: 'Controls' }}
          hint={{ text: 'What prevents or reduces the harm' }}
          rows={2}
          value={controls}
          onChange={setControls}
        />
        <Button
          type="button"
          variant="secondary"
          text="Add this hazard"
          onClick={() => {
            if (hazard.trim() === '' || controls.trim() === '') return setProblem('Enter the hazard and its controls');
            setNotes([...notes, { hazard: hazard.trim(), controls: controls.trim() }]);
            setHazard('');
            setControls('');
            setProblem(undefined);
          }}
        />
      </Fieldset>
    </section>
  );
}
