import type { ReactNode } from 'react';

/** Loading and error states that screen readers announce. */
export function Loading({ what = '' }: { what?: string }) {
  return (
    <p className="loading" role="status">
      Loading{what ? ` ${what}` : ''}…
    </p>
  );
}

export function ErrorMessage({ error }: { error: Error }) {
  return (
    <p className="error" role="alert">
      {error.message}
    </p>
  );
}

/** Renders children once the resource has data; loading and error otherwise. */
export function Loaded<T>({ resource, what, children }: { resource: { data: T | undefined; error: Error | undefined }; what?: string; children: (data: T) => ReactNode }) {
  if (resource.error) return <ErrorMessage error={resource.error} />;
  if (resource.data === undefined) return <Loading what={what} />;
  return <>{children(resource.data)}</>;
}
