import { isRouteErrorResponse, useRouteError } from 'react-router';

/** What shows when a page could not load (a lost connection while fetching its code, a bug). */
export function RouteError() {
  const error = useRouteError();
  const detail = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : undefined;
  return (
    <div className="nhsuk-width-container">
      <main className="nhsuk-main-wrapper" id="maincontent">
        <h1>Sorry, there is a problem with the service</h1>
        <p>Try again later. If you need the plan now, reload the page.</p>
        {detail && <p className="nhsuk-body-s">Details: {detail}</p>}
      </main>
    </div>
  );
}
