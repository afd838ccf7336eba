import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { startPathway } from '../../../api/designer-api';
import {
  archetypeCatalogue,
  reviseTemplate,
  templateRevisions,
  templateTree,
  type CatalogueArchetype,
  type TemplateEdit,
  type TemplateTreeNode,
} from '../../../api/template-composer-api';
import { Main } from '../../../app/Layout';
import { useLoaded } from '../../../app/use-loaded';
import { BackLink } from '../../../components/back-link/BackLink';
import { Button } from '../../../components/button/Button';
import { ErrorSummary } from '../../../components/error-summary/ErrorSummary';
import { InsetText } from '../../../components/inset-text/InsetText';
import { Input } from '../../../components/input/Input';
import { NotificationBanner } from '../../../components/notification-banner/NotificationBanner';
import { Select } from '../../../components/select/Select';
import { Table } from '../../../components/table/Table';
import { Tag } from '../../../components/tag/Tag';
import { formatDateTime } from '../../../format/dates';
import { NotLoaded } from '../NotLoaded';
import { flattenTree, nodeSummary, OCCURRENCE_CHOICES, refusalText } from './template-words';

/**
 * One template in the composer: its fields in plain words, its revisions, and the four changes the
 * composer makes (rename, how often, remove an optional field, add from an archetype), each saved
 * at once as a new revision — or refused, in plain words, when plans already written would break.
 */
export function TemplatePage() {
  const { templateId = '' } = useParams();
  const [reload, setReload] = useState(0);
  const loaded = useLoaded(
    () => Promise.all([templateTree(templateId), templateRevisions(templateId), archetypeCatalogue()]),
    `${templateId}:${reload}`,
  );
  const [outcome, setOutcome] = useState<{ saved: string } | { title: string; lines: string[] } | undefined>();
  const [busy, setBusy] = useState(false);

  if (loaded.status !== 'loaded') return <NotLoaded loaded={loaded} loading="Loading the template…" failed="The template could not be loaded." />;
  const [{ tree, composable }, revisions, catalogue] = loaded.value;
  const nodes = flattenTree(tree);

  async function change(edit: TemplateEdit, done: string) {
    setBusy(true);
    setOutcome(undefined);
    try {
      const revision = await reviseTemplate(templateId, [edit]);
      setOutcome({ saved: `${done} Saved as revision ${revision.version}.` });
      setReload((n) => n + 1);
    } catch (error) {
      setOutcome(refusalText(error, nodes));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Main>
      <BackLink href="/designer/templates" text="All templates" />
      {outcome && 'saved' in outcome && (
        <NotificationBanner type="success" titleText="Saved">
          <p className="nhsuk-notification-banner__heading">{outcome.saved}</p>
        </NotificationBanner>
      )}
      {outcome && 'title' in outcome && <ErrorSummary titleText={outcome.title} errorList={outcome.lines.map((text) => ({ text }))} />}
      <h1>
        <span className="nhsuk-caption-l">Template</span>
        {tree.name}
      </h1>
      <p>
        Template id: <code>{templateId}</code>
      </p>
      <h2>What it records</h2>
      <TreeList nodes={[tree]} />
      {composable ? (
        <Changes nodes={nodes} catalogue={catalogue} busy={busy} onChange={(edit, done) => void change(edit, done)} />
      ) : (
        <InsetText>
          <p>This template was not made with the composer (it is a published template): change it by uploading a new revision of it.</p>
        </InsetText>
      )}
      <NewPathway templateId={templateId} name={tree.name} />
      <Table
        caption="Revisions, newest first"
        head={['Revision', 'Saved by', 'Saved', '']}
        rows={revisions.map((revision) => [
          `Revision ${revision.version}`,
          revision.uploadedBy?.name ?? 'Installed with the system',
          formatDateTime(revision.createdAt),
          revision.current ? <Tag key="c" text="In use" colour="green" /> : '',
        ])}
      />
    </Main>
  );
}

/** The first draft of a new pathway whose one module is this template; the pathway's pages take it from there. */
function NewPathway({ templateId, name }: { templateId: string; name: string }) {
  const navigate = useNavigate();
  const [title, setTitle] = useState(name);
  const [problem, setProblem] = useState<{ title: string; lines: string[] } | undefined>();
  const [busy, setBusy] = useState(false);
  const key = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

  async function start() {
    setBusy(true);
    setProblem(undefined);
    try {
      const draft = await startPathway({
        id: key,
        title: title.trim(),
        description: `A plan recording ${name}.`,
        approval: 'clinician',
        reviewMaxMonths: 12,
        modules: [{ id: key, title: name, templateId, kind: 'clinical', seniorDecision: false }],
      });
      navigate(`/designer/${key}/versions/${draft.version}/edit`);
    } catch (error) {
      setProblem(refusalText(error, []));
      setBusy(false);
    }
  }

  return (
    <>
      <h2>Use it in a new pathway</h2>
      {problem && <ErrorSummary titleText="The pathway was not started" errorList={problem.lines.map((text) => ({ text }))} />}
      <Input
        id="pathway-title"
        label={{ text: 'Pathway title' }}
        hint={{ text: 'A draft pathway with this template as its one section; you then edit, preview and send it for review.' }}
        value={title}
        onChange={setTitle}
      />
      <Button type="button" variant="secondary" text="Start a pathway with this template" disabled={busy || !key} onClick={() => void start()} />
    </>
  );
}

function TreeList({ nodes }: { nodes: readonly TemplateTreeNode[] }) {
  return (
    <ul className="nhsuk-list nhsuk-list--bullet">
      {nodes.map((node) => (
        <li key={node.path}>
          <strong>{node.name}</strong> — {nodeSummary(node)}
          {node.children.length > 0 && <TreeList nodes={node.children} />}
        </li>
      ))}
    </ul>
  );
}

const isArchetype = (node: TemplateTreeNode): boolean => node.nodeId?.startsWith('openEHR-') ?? false;

/** The changes the composer offers, each its own small form. */
function Changes({
  nodes,
  catalogue,
  busy,
  onChange,
}: {
  nodes: readonly TemplateTreeNode[];
  catalogue: readonly CatalogueArchetype[];
  busy: boolean;
  onChange(edit: TemplateEdit, done: string): void;
}) {
  const fields = nodes.filter((node) => node.path.includes('/'));
  const items = (list: readonly TemplateTreeNode[]) => [
    { value: '', text: 'Choose…' },
    ...list.map((node) => ({ value: node.path, text: `${node.name} (${nodeSummary(node)})` })),
  ];
  const nameOf = (path: string) => nodes.find((node) => node.path === path)?.name ?? path;
  const [renamePath, setRenamePath] = useState('');
  const [newName, setNewName] = useState('');
  const [oftenPath, setOftenPath] = useState('');
  const [often, setOften] = useState('0..1');
  const [removePath, setRemovePath] = useState('');
  const [parentPath, setParentPath] = useState('');
  const [addKey, setAddKey] = useState('');

  const parents = nodes.filter(isArchetype);
  const parent = nodes.find((node) => node.path === parentPath);
  const addable = parent ? addableTo(parent, catalogue) : [];

  return (
    <>
      <h2>Change the template</h2>
      <p>Each change is saved at once as a new revision. Plans already written with the template must still read, or nothing is changed.</p>

      <h3>Rename a field</h3>
      <Select id="rename-path" label={{ text: 'Field to rename' }} items={items(fields)} value={renamePath} onChange={setRenamePath} />
      <Input id="rename-name" label={{ text: 'New name' }} value={newName} onChange={setNewName} />
      <Button
        type="button"
        text="Rename"
        disabled={busy || !renamePath || !newName.trim()}
        onClick={() => onChange({ op: 'rename', path: renamePath, name: newName.trim() }, `“${nameOf(renamePath)}” is now “${newName.trim()}”.`)}
      />

      <h3>Make a field required or optional</h3>
      <Select id="often-path" label={{ text: 'Field to change' }} items={items(fields)} value={oftenPath} onChange={setOftenPath} />
      <Select id="often" label={{ text: 'How often it is answered' }} items={OCCURRENCE_CHOICES} value={often} onChange={setOften} />
      <Button
        type="button"
        text="Save how often"
        disabled={busy || !oftenPath}
        onClick={() =>
          onChange(
            { op: 'occurrences', path: oftenPath, occurrences: often },
            `“${nameOf(oftenPath)}” is now ${OCCURRENCE_CHOICES.find((choice) => choice.value === often)?.text.toLowerCase() ?? often}.`,
          )
        }
      />

      <h3>Remove an optional field</h3>
      <Select
        id="remove-path"
        label={{ text: 'Field to remove' }}
        hint={{ text: 'Only an optional field can be removed, and only while no plan holds data in it.' }}
        items={items(fields.filter((node) => node.min === 0))}
        value={removePath}
        onChange={setRemovePath}
      />
      <Button
        type="button"
        variant="warning"
        text="Remove"
        disabled={busy || !removePath}
        onClick={() => onChange({ op: 'remove', path: removePath }, `“${nameOf(removePath)}” was removed.`)}
      />

      <h3>Add from an archetype</h3>
      <Select
        id="add-parent"
        label={{ text: 'Add to' }}
        items={[{ value: '', text: 'Choose…' }, ...parents.map((node) => ({ value: node.path, text: node.name }))]}
        value={parentPath}
        onChange={(value) => {
          setParentPath(value);
          setAddKey('');
        }}
      />
      {parent && (
        <Select
          id="add-node"
          label={{ text: 'What to add' }}
          hint={{ text: 'From the archetype it belongs to. What is added is optional.' }}
          items={[{ value: '', text: addable.length > 0 ? 'Choose…' : 'Nothing more to add' }, ...addable.map(({ key, text }) => ({ value: key, text }))]}
          value={addKey}
          onChange={setAddKey}
        />
      )}
      <Button
        type="button"
        text="Add"
        disabled={busy || !parent || !addKey}
        onClick={() => {
          const chosen = addable.find((candidate) => candidate.key === addKey);
          if (parent && chosen) onChange({ op: 'add', parent: parent.path, node: optional(chosen.definition) }, `“${chosen.label}” was added.`);
        }}
      />
    </>
  );
}

interface Addable {
  key: string;
  text: string;
  label: string;
  definition: Readonly<Record<string, unknown>>;
}

/** What the catalogue offers to add to an archetype node: its archetype's nodes it lacks, or, to a composition, section and entry archetypes. */
function addableTo(parent: TemplateTreeNode, catalogue: readonly CatalogueArchetype[]): Addable[] {
  const present = new Set(parent.children.map((child) => child.nodeId));
  if (parent.rmType === 'COMPOSITION' || parent.rmType === 'SECTION')
    return catalogue
      .filter((archetype) => !['COMPOSITION', 'CLUSTER'].includes(archetype.rmType) && !present.has(archetype.archetypeId))
      .map((archetype) => ({
        key: archetype.archetypeId,
        text: `${archetype.text} (${archetype.local ? 'local archetype' : 'CKM archetype'})`,
        label: archetype.text,
        definition: archetype.definition,
      }));
  const archetype = catalogue.find((candidate) => candidate.archetypeId === parent.nodeId);
  return (archetype?.nodes ?? [])
    .filter((node) => !present.has(node.key))
    .map((node) => ({ key: node.key, text: node.text, label: node.text, definition: node.definition }));
}

/** An added node is optional: its occurrences start at 0. */
function optional(definition: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const occurrences = typeof definition['occurrences'] === 'string' ? definition['occurrences'] : '0..1';
  return { ...definition, occurrences: `0..${occurrences.split('..')[1] ?? '1'}` };
}
