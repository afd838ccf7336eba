import type { RouteObject } from 'react-router';
import { Layout, RequireSignIn } from './Layout';
import { RouteError } from './RouteError';

/**
 * The app's routes. Each page is its own chunk, loaded when first visited, so the emergency
 * summary ships only the shell and its own code. Paths deep-link: a person by NHS number, a
 * section of their plan, a version, the print view.
 */
export const routes: RouteObject[] = [
  // A published form inside another record system's page: none of the app's header or navigation,
  // and its own session (the record system's launch), not the signed-in person's.
  {
    path: '/embed/:pathway/:nhsNumber',
    errorElement: <RouteError />,
    lazy: () => import('../pages/embed/EmbedPage').then((m) => ({ Component: m.EmbedPage })),
  },
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { path: '/sign-in', lazy: () => import('../pages/sign-in/SignInPage').then((m) => ({ Component: m.SignInPage })) },
      {
        element: <RequireSignIn />,
        children: [
          { index: true, lazy: () => import('../pages/home/HomePage').then((m) => ({ Component: m.HomePage })) },
          { path: '/people', lazy: () => import('../pages/find-person/FindPersonPage').then((m) => ({ Component: m.FindPersonPage })) },
          {
            path: '/people/:nhsNumber',
            lazy: () => import('../pages/person/PersonLayout').then((m) => ({ Component: m.PersonLayout })),
            children: [
              {
                index: true,
                lazy: () => import('../pages/person/EmergencySummaryPage').then((m) => ({ Component: m.EmergencySummaryPage })),
              },
              { path: 'plan', lazy: () => import('../pages/person/PlanPage').then((m) => ({ Component: m.PlanPage })) },
              { path: 'plan/:moduleId', lazy: () => import('../pages/person/PlanPage').then((m) => ({ Component: m.PlanPage })) },
              { path: 'print', lazy: () => import('../pages/person/PrintPage').then((m) => ({ Component: m.PrintPage })) },
              { path: 'history', lazy: () => import('../pages/person/HistoryPage').then((m) => ({ Component: m.HistoryPage })) },
              { path: 'edit', lazy: () => import('../pages/edit/EditPlanPage').then((m) => ({ Component: m.EditPlanPage })) },
              { path: 'edit/:moduleId', lazy: () => import('../pages/edit/EditModulePage').then((m) => ({ Component: m.EditModulePage })) },
              {
                path: 'drafts/:draftId',
                lazy: () => import('../pages/drafts/DraftReviewPage').then((m) => ({ Component: m.DraftReviewPage })),
              },
            ],
          },
          { path: '/worklists', lazy: () => import('../pages/worklists/WorklistsPage').then((m) => ({ Component: m.WorklistsPage })) },
          {
            path: '/reports/respect-completeness',
            lazy: () => import('../pages/reports/RespectCompletenessPage').then((m) => ({ Component: m.RespectCompletenessPage })),
          },
          { path: '/audit', lazy: () => import('../pages/audit/AuditPage').then((m) => ({ Component: m.AuditPage })) },
          {
            path: '/admin',
            lazy: () => import('../pages/admin/AdminLayout').then((m) => ({ Component: m.AdminLayout })),
            children: [
              { index: true, lazy: () => import('../pages/admin/AdminOverviewPage').then((m) => ({ Component: m.AdminOverviewPage })) },
              { path: 'users', lazy: () => import('../pages/admin/UsersPage').then((m) => ({ Component: m.UsersPage })) },
              { path: 'users/new', lazy: () => import('../pages/admin/AddUserPage').then((m) => ({ Component: m.AddUserPage })) },
              { path: 'users/:userId', lazy: () => import('../pages/admin/UserPage').then((m) => ({ Component: m.UserPage })) },
              {
                path: 'organisations',
                lazy: () => import('../pages/admin/OrganisationsPage').then((m) => ({ Component: m.OrganisationsPage })),
              },
              { path: 'clients', lazy: () => import('../pages/admin/ClientsPage').then((m) => ({ Component: m.ClientsPage })) },
              { path: 'clients/new', lazy: () => import('../pages/admin/NewClientPage').then((m) => ({ Component: m.NewClientPage })) },
              {
                path: 'identity-providers',
                lazy: () => import('../pages/admin/IdentityProvidersPage').then((m) => ({ Component: m.IdentityProvidersPage })),
              },
              { path: 'pathways', lazy: () => import('../pages/admin/PathwaysPage').then((m) => ({ Component: m.PathwaysPage })) },
            ],
          },
          { path: '/designer', lazy: () => import('../pages/designer/DesignerHomePage').then((m) => ({ Component: m.DesignerHomePage })) },
          {
            path: '/designer/templates',
            lazy: () => import('../pages/designer/templates/TemplatesPage').then((m) => ({ Component: m.TemplatesPage })),
          },
          {
            path: '/designer/templates/new',
            lazy: () => import('../pages/designer/templates/NewTemplatePage').then((m) => ({ Component: m.NewTemplatePage })),
          },
          {
            path: '/designer/templates/:templateId/revisions',
            lazy: () => import('../pages/designer/templates/TemplatePage').then((m) => ({ Component: m.TemplatePage })),
          },
          {
            path: '/designer/:key',
            lazy: () => import('../pages/designer/DesignerPathwayPage').then((m) => ({ Component: m.DesignerPathwayPage })),
          },
          {
            path: '/designer/:key/versions/:version',
            lazy: () => import('../pages/designer/DesignerVersionPage').then((m) => ({ Component: m.DesignerVersionPage })),
          },
          {
            path: '/designer/:key/versions/:version/edit',
            lazy: () => import('../pages/designer/EditDraftPage').then((m) => ({ Component: m.EditDraftPage })),
          },
          {
            path: '/designer/:key/versions/:version/preview',
            lazy: () => import('../pages/designer/PreviewPage').then((m) => ({ Component: m.PreviewPage })),
          },
          {
            path: '/designer/:key/versions/:version/review',
            lazy: () => import('../pages/designer/ReviewPage').then((m) => ({ Component: m.ReviewPage })),
          },
          { path: '/my-plan', lazy: () => import('../pages/my-plan/MyPlanPage').then((m) => ({ Component: m.MyPlanPage })) },
          {
            path: '/my-plan/propose/:moduleId',
            lazy: () => import('../pages/my-plan/ProposeChangePage').then((m) => ({ Component: m.ProposeChangePage })),
          },
          { path: '/account', lazy: () => import('../pages/account/AccountPage').then((m) => ({ Component: m.AccountPage })) },
          { path: '*', lazy: () => import('../pages/not-found/NotFoundPage').then((m) => ({ Component: m.NotFoundPage })) },
        ],
      },
    ],
  },
];
