import { NavLink } from 'react-router';
import { PageHeader } from '../../../components/ui/layout';
import { DecisionsView } from './decisions-view';
import { SessionsView } from './sessions-view';

const tabClass = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-3 py-1.5 text-sm font-medium ${isActive ? 'bg-teal-700 text-white dark:bg-teal-700' : 'text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'}`;

export function ActivityPage({ tab }: { tab: 'decisions' | 'sessions' }) {
  return (
    <>
      <PageHeader
        title="Activity"
        description="Every decision CAVRA made and the agent sessions they belong to."
      />
      <nav aria-label="Activity views" className="mb-3 flex gap-1">
        <NavLink to="/activity/decisions" className={tabClass}>
          Decisions
        </NavLink>
        <NavLink to="/activity/sessions" className={tabClass}>
          Sessions
        </NavLink>
      </nav>
      {tab === 'decisions' ? <DecisionsView /> : <SessionsView />}
    </>
  );
}
