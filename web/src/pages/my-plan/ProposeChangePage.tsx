import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { saveToOwnDraft } from '../../api/drafts-api';
import { ApiProblem } from '../../api/http';
import { Main } from '../../app/Layout';
import { useSignedIn } from '../../app/session-context';
import { useLoaded } from '../../app/use-loaded';
import { BackLink } from '../../components/back-link/BackLink';
import type { ErrorSummaryItem } from '../../components/error-summary/ErrorSummary';
import { InsetText } from '../../components/inset-text/InsetText';
import type { FlatContent } from '../../plan-form/flat-values';
import { sectionPatch } from '../../plan-form/section-patch';
import { SectionForm } from '../../plan-form/SectionForm';
import { contentOnly } from '../edit/edit-state';
import { ownPlanOf, proposableModules, type OwnPlan } from './own-plan';

/**
 * The person suggests a change to one section about them, in the same form the professionals
 * use. It is kept in their own draft (nothing in the plan changes) until they send it.
 */
export function ProposeChangePage() {
  const session = useSignedIn();
  const { moduleId = '' } = useParams();
  const nhsNumber = session.ownNhsNumber ?? '';
  const loaded = useLoaded(nhsNumber ? () => ownPlanOf(nhsNumber) : undefined, `${nhsNumber}:${moduleId}`);
  return (
    <Main>
      <BackLink href="/my-plan" text="Back to your plan" />
      {loaded.status === 'loading' && <p role="status">Loading…</p>}
      {loaded.status === 'failed' && <p>{loaded.error instanceof ApiProblem ? loaded.error.detail : 'Your plan could not be loaded.'}</p>}
      {loaded.status === 'loaded' && !loaded.value && <p>Your plan cannot be changed here yet.</p>}
      {loaded.status === 'loaded' && loaded.value && <ProposeForm own={loaded.value} moduleId={moduleId} />}
    </Main>
  );
}

function ProposeForm({ own, moduleId }: { own: OwnPlan; moduleId: string }) {
  const navigate = useNavigate();
  const module = proposableModules(own.plan).find((candidate) => candidate.moduleId === moduleId);
  const definition = own.pathways.flatMap((pathway) => pathway.modules).find((candidate) => candidate.id === moduleId);
  const form = definition?.form;
  const drafted = own.draft?.sections.find((section) => section.moduleId === moduleId);
  const opened = drafted ? contentOnly(drafted.flat) : contentOnly(module?.flat ?? null);
  const [flat, setFlat] = useState<FlatContent>(opened);
  const [problems, setProblems] = useState<ErrorSummaryItem[]>([]);
  const [busy, setBusy] = useState(false);
  if (!module || !form) return <p>You cannot suggest changes to this part of your plan. Talk to the people who care for you.</p>;
  if (own.draft?.state === 'proposed')
    return (
      <InsetText>
        <p>Your suggested changes are with your care team. You can change them again once they have answered, or if you take them back.</p>
      </InsetText>
    );

  async function save(content: FlatContent) {
    setBusy(true);
    try {
      await saveToOwnDraft(own.plan.ehrId, moduleId, sectionPatch(opened, content), drafted?.basedOnRevision ?? own.plan.revision);
      navigate('/my-plan', { state: { saved: module?.title } });
    } catch (error) {
      setProblems([{ text: error instanceof ApiProblem ? error.detail : 'Your changes could not be saved. Try again.' }]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <SectionForm
      form={form}
      flat={flat}
      setFlat={setFlat}
      busy={busy}
      problems={problems}
      rules={definition?.rules ?? []}
      submitText="Keep these changes"
      onValid={(content) => void save(content)}
      heading={
        <>
          <h1>
            <span className="nhsuk-caption-l">Suggest a change</span>
            {module.title}
          </h1>
          <p>Your plan does not change yet. When you have made all your changes, send them to your care team from your plan’s page.</p>
        </>
      }
    />
  );
}
