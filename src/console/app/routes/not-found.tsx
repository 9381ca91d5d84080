import { Link, useLocation } from 'react-router';
import { EmptyState } from '../../components/ui/states';

export function Component() {
  const location = useLocation();
  return (
    <EmptyState title={`No page at ${location.pathname}`}>
      <Link className="text-teal-800 underline dark:text-teal-300" to="/">
        Go to the overview
      </Link>{' '}
      or press Ctrl K to search.
    </EmptyState>
  );
}
