import { Main } from '../../app/Layout';
import type { Loaded } from '../../app/use-loaded';
import { problemText } from '../admin/admin-format';

/** A designer page while what it shows is loading, or when it could not be loaded. */
export function NotLoaded({
  loaded,
  loading,
  failed,
}: {
  loaded: Exclude<Loaded<unknown>, { status: 'loaded' }>;
  loading: string;
  failed: string;
}) {
  return <Main>{loaded.status === 'loading' ? <p role="status">{loading}</p> : <p>{problemText(loaded.error, failed)}</p>}</Main>;
}
