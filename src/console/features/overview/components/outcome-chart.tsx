/**
 * Decisions over time, stacked by outcome: a plain SVG (no chart library for one chart). Buckets span the
 * time of the decisions shown; a table with the same numbers follows for screen readers.
 */
import type { Decision, Outcome } from '../../../lib/api-types';
import { OUTCOME_FILL, OUTCOME_LOOK, OUTCOMES } from '../../../lib/outcomes';

const BUCKETS = 24;

type Bucket = { start: number; counts: Record<Outcome, number>; total: number };

export function bucketDecisions(decisions: readonly Decision[], buckets = BUCKETS): Bucket[] {
  const times = decisions.map((d) => new Date(d.timestamp).getTime()).filter((t) => !Number.isNaN(t));
  if (times.length === 0) return [];
  const min = Math.min(...times);
  const span = Math.max(Math.max(...times) - min, 60_000);
  const width = span / buckets;
  const result: Bucket[] = Array.from({ length: buckets }, (_, i) => ({
    start: min + i * width,
    counts: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>,
    total: 0,
  }));
  for (const decision of decisions) {
    const time = new Date(decision.timestamp).getTime();
    if (Number.isNaN(time)) continue;
    const bucket = result[Math.min(buckets - 1, Math.floor((time - min) / width))];
    if (!bucket) continue;
    bucket.counts[decision.decision] += 1;
    bucket.total += 1;
  }
  return result;
}

const timeLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export function OutcomeChart({ decisions }: { decisions: readonly Decision[] }) {
  const buckets = bucketDecisions(decisions);
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const present = OUTCOMES.filter((o) => buckets.some((b) => b.counts[o] > 0));
  const first = buckets[0];
  const last = buckets.at(-1);
  return (
    <figure>
      <svg
        viewBox={`0 0 ${BUCKETS * 10} 100`}
        className="h-40 w-full"
        preserveAspectRatio="none"
        role="img"
        aria-label="Decisions over time by outcome"
      >
        {buckets.map((bucket, i) => {
          let y = 100;
          return OUTCOMES.map((outcome) => {
            const height = (bucket.counts[outcome] / max) * 96;
            if (height === 0) return null;
            y -= height;
            return (
              <rect
                key={`${i}-${outcome}`}
                x={i * 10 + 1}
                y={y}
                width={8}
                height={height}
                className={OUTCOME_FILL[outcome]}
              >
                <title>{`${bucket.counts[outcome]} ${OUTCOME_LOOK[outcome].label}`}</title>
              </rect>
            );
          });
        })}
      </svg>
      <div className="mt-1 flex justify-between text-xs text-slate-600 dark:text-slate-400">
        <span>{first ? timeLabel.format(first.start) : ''}</span>
        <span>{last ? timeLabel.format(last.start) : ''}</span>
      </div>
      <figcaption className="mt-2 flex flex-wrap gap-3 text-xs">
        {present.map((outcome) => (
          <span key={outcome} className="inline-flex items-center gap-1">
            <svg className="size-3" aria-hidden="true">
              <rect width="12" height="12" className={OUTCOME_FILL[outcome]} />
            </svg>
            {OUTCOME_LOOK[outcome].label}: {buckets.reduce((sum, b) => sum + b.counts[outcome], 0)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
