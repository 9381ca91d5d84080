import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

/** A page that threw while rendering or loading: say what happened instead of a blank screen. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <main className="mx-auto max-w-xl p-6">
      <h1 className="text-xl font-semibold">This page failed</h1>
      <p
        role="alert"
        className="mt-2 rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
      >
        {message}
      </p>
      <p className="mt-3 text-sm">
        <Link className="text-teal-800 underline dark:text-teal-300" to="/">
          Back to the overview
        </Link>{' '}
        or reload the page.
      </p>
    </main>
  );
}
