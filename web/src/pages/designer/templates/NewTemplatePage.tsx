import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiProblem } from '../../../api/http';
import { archetypeCatalogue, createTemplate, type CatalogueArchetype } from '../../../api/template-composer-api';
import { Main } from '../../../app/Layout';
import { useLoaded } from '../../../app/use-loaded';
import { BackLink } from '../../../components/back-link/BackLink';
import { Button } from '../../../components/button/Button';
import { Checkboxes } from '../../../components/checkboxes/Checkboxes';
import { ErrorSummary } from '../../../components/error-summary/ErrorSummary';
import { Input } from '../../../components/input/Input';
import { Radios } from '../../../components/radios/Radios';
import { Textarea } from '../../../components/textarea/Textarea';
import { NotLoaded } from '../NotLoaded';
import { kindText, valueText } from './template-words';

/** What an entry field of the request is called on this page, for the error summary. */
const FIELD_NAMES: Record<string, string> = {
  '/templateId': 'Template id',
  '/name': 'Name',
  '/purpose': 'What it is for',
  '/composition': 'Kind of document',
};

/**
 * A new template from the bundled archetypes: a name, what it is for, the kind of document (a
 * COMPOSITION archetype), and the sections and entries it holds with the fields of each. It is
 * compiled and saved as revision 1; the template page then changes it further.
 */
export function NewTemplatePage() {
  const navigate = useNavigate();
  const catalogue = useLoaded(archetypeCatalogue, 'archetype-catalogue');
  const [name, setName] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [purpose, setPurpose] = useState('');
  const [composition, setComposition] = useState<string | undefined>();
  const [chosen, setChosen] = useState<string[]>([]);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  if (catalogue.status !== 'loaded')
    return <NotLoaded loaded={catalogue} loading="Loading the archetypes…" failed="The archetypes could not be loaded." />;
  const archetypes = catalogue.value;
  const compositions = archetypes.filter((archetype) => archetype.rmType === 'COMPOSITION');
  const entries = archetypes.filter((archetype) => !['COMPOSITION', 'CLUSTER'].includes(archetype.rmType));
  const byId = new Map(archetypes.map((archetype) => [archetype.archetypeId, archetype]));
  const suggestedId = name.trim() ? `UCP - ${name.trim().replace(/[^A-Za-z0-9 ()_,-]/g, '')}.v1` : '';

  async function save() {
    const missing = [
      ...(name.trim() ? [] : ['Enter a name']),
      ...(purpose.trim() ? [] : ['Enter what the template is for']),
      ...(composition ? [] : ['Choose the kind of document']),
      ...(chosen.length > 0 ? [] : ['Choose at least one archetype']),
      ...chosen.filter((id) => (fields[id] ?? []).length === 0).map((id) => `Choose at least one field of ${byId.get(id)?.text ?? id}`),
    ];
    setProblems(missing);
    if (missing.length > 0 || !composition) return;
    setBusy(true);
    try {
      const revision = await createTemplate({
        templateId: templateId.trim() || suggestedId,
        name: name.trim(),
        purpose: purpose.trim(),
        composition,
        entries: chosen.map((archetypeId) => ({ archetypeId, nodes: fields[archetypeId] ?? [] })),
      });
      navigate(`/designer/templates/${encodeURIComponent(revision.templateId)}/revisions`);
    } catch (error) {
      setProblems(problemLines(error, chosen, byId));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Main>
      <BackLink href="/designer/templates" text="All templates" />
      {problems.length > 0 && <ErrorSummary errorList={problems.map((text) => ({ text }))} />}
      <h1>Make a new template from archetypes</h1>
      <p>
        Archetypes are agreed clinical building blocks: those of the openEHR Clinical Knowledge Manager (CKM), and our own local ones.
        Choose the kind of document, then the archetypes it holds and the fields of each.
      </p>
      <Input id="template-name" label={{ text: 'Name', size: 'm' }} hint={{ text: 'As forms and plans show it.' }} value={name} onChange={setName} />
      <Input
        id="template-id"
        label={{ text: 'Template id' }}
        hint={{ text: `A name, then .v and a number. Left empty: ${suggestedId || 'UCP - (the name).v1'}` }}
        value={templateId}
        onChange={setTemplateId}
      />
      <Textarea id="template-purpose" label={{ text: 'What it is for', size: 'm' }} rows={3} value={purpose} onChange={setPurpose} />
      <Radios
        idPrefix="composition"
        fieldset={{ legend: { text: 'Kind of document', size: 'm' } }}
        items={compositions.map((archetype) => ({ value: archetype.archetypeId, text: archetype.text, hint: { text: archetype.description } }))}
        value={composition}
        onChange={setComposition}
      />
      <Checkboxes
        idPrefix="entries"
        fieldset={{ legend: { text: 'What it holds', size: 'm' } }}
        hint={{ text: 'Each archetype’s fields are chosen below once it is ticked.' }}
        items={entries.map((archetype) => ({
          value: archetype.archetypeId,
          text: archetype.text,
          hint: { text: `${sentence(kindText(archetype.rmType))}, ${archetype.local ? 'local archetype' : 'CKM archetype'}. ${archetype.description}` },
        }))}
        values={chosen}
        onChange={(values) => {
          setChosen(values);
          setFields((current) =>
            Object.fromEntries(values.map((id) => [id, current[id] ?? (byId.get(id)?.nodes ?? []).map((node) => node.key)])),
          );
        }}
      />
      {chosen.map((id) => {
        const archetype = byId.get(id);
        if (!archetype) return null;
        return (
          <Checkboxes
            key={id}
            idPrefix={`fields-${archetype.archetypeId.replace(/[^A-Za-z0-9]/g, '-')}`}
            fieldset={{ legend: { text: `Fields of ${archetype.text}`, size: 's' } }}
            items={archetype.nodes.map((node) => ({
              value: node.key,
              text: node.text,
              hint: { text: node.rmType === 'ELEMENT' ? `A field for ${valueText(node.valueType)}.` : `${sentence(kindText(node.rmType))}.` },
            }))}
            values={fields[id] ?? []}
            onChange={(values) => setFields((current) => ({ ...current, [id]: values }))}
          />
        );
      })}
      <Button type="button" text="Make the template" disabled={busy} onClick={() => void save()} />
    </Main>
  );
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The server's problems, each with the page's name for where it is. */
function problemLines(error: unknown, chosen: readonly string[], byId: ReadonlyMap<string, CatalogueArchetype>): string[] {
  if (!(error instanceof ApiProblem)) return ['The template could not be made. Try again.'];
  if (error.issues.length === 0) return [error.detail];
  return error.issues.map((issue) => {
    const entry = /^\/entries\/(\d+)/.exec(issue.path);
    const where = entry ? byId.get(chosen[Number(entry[1])] ?? '')?.text : FIELD_NAMES[issue.path];
    return where ? `${where}: ${issue.message}` : issue.message;
  });
}
