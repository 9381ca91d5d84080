/** Presenter mode's start page: the tours, a link to every step, where you left off, and the reader exercise. */
import { Link } from 'react-router';
import { PageHeader, Section } from '../../../components/ui/layout';
import { READER_EXERCISE, TOURS, stepHref, tourById } from '../model/tours';

function lastStep(): { href: string; label: string } | null {
  try {
    const saved = JSON.parse(window.localStorage.getItem('cavra.tour.last') ?? 'null') as {
      tour?: string;
      step?: number;
    } | null;
    const tour = tourById(saved?.tour ?? null);
    const step = saved?.step ?? 0;
    if (tour === undefined || step < 1 || step > tour.steps.length) return null;
    return { href: stepHref(tour, step - 1), label: `${tour.title}, step ${step}` };
  } catch {
    return null;
  }
}

export function TourPage() {
  const resume = lastStep();
  return (
    <div className="space-y-4">
      <PageHeader
        title="Presenter mode"
        description="Guided demos: each step opens a page, outlines what to show and lists the talking points. Use → and ← to move, Esc to stop."
      />
      {resume ? (
        <p className="text-sm">
          Resume:{' '}
          <Link className="underline" to={resume.href}>
            {resume.label}
          </Link>
        </p>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2">
        {TOURS.map((tour) => (
          <Section key={tour.id} title={tour.title}>
            <p className="mb-2 text-sm text-slate-700 dark:text-slate-300">{tour.summary}</p>
            <ol className="mb-3 list-decimal space-y-0.5 pl-5 text-sm">
              {tour.steps.map((step, index) => (
                <li key={step.title}>
                  <Link className="underline" to={stepHref(tour, index)}>
                    {step.title}
                  </Link>
                </li>
              ))}
            </ol>
            <Link
              to={stepHref(tour, 0)}
              className="inline-flex rounded-md bg-teal-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-teal-800"
            >
              Start “{tour.title}”
            </Link>
          </Section>
        ))}
      </div>
      <Section title="Reader exercise">
        <p className="mb-2 text-sm">A newcomer should answer these from the console alone:</p>
        <ol className="list-decimal space-y-1 pl-5 text-sm">
          {READER_EXERCISE.map((question) => (
            <li key={question}>{question}</li>
          ))}
        </ol>
      </Section>
    </div>
  );
}
