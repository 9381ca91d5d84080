/**
 * Presenter mode: when the URL names a tour step (`?tour=first-demo&step=3`), a panel with the step's talking
 * points, and an outline around the element it is about. Keyboard: → or N next, ← or P previous, Esc exits.
 * The step lives in the URL, so a reload or a shared link resumes exactly there.
 */
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Button } from '../../../components/ui/button';
import { stepHref, tourById, type Tour } from '../model/tours';

const LAST_STEP_KEY = 'cavra.tour.last';

type Rect = { top: number; left: number; width: number; height: number };

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))
  );
}

/** Follows the first element matching one of `targets` (it may appear late: pages load lazily). */
function useTargetRect(targets: readonly string[], key: string): Rect | null {
  const [rect, setRect] = useState<Rect | null>(null);
  useEffect(() => {
    let frame = 0;
    let hasScrolled = false;
    const track = () => {
      const element = targets
        .map((selector) => document.querySelector(selector))
        .find((found) => found !== null);
      if (element) {
        if (!hasScrolled) {
          element.scrollIntoView({ block: 'center', behavior: 'instant' });
          hasScrolled = true;
        }
        const box = element.getBoundingClientRect();
        setRect((previous) =>
          previous?.top === box.top &&
          previous.left === box.left &&
          previous.width === box.width &&
          previous.height === box.height
            ? previous
            : { top: box.top, left: box.left, width: box.width, height: box.height },
        );
      } else {
        setRect(null);
      }
      frame = window.requestAnimationFrame(track);
    };
    track();
    return () => {
      window.cancelAnimationFrame(frame);
    };
    // `key` changes with the step: start over (scroll once more) for each step.
  }, [targets, key]);
  return rect;
}

export function TourOverlay() {
  const [params] = useSearchParams();
  const tour = tourById(params.get('tour'));
  const index = Number(params.get('step') ?? '1') - 1;
  if (tour === undefined || !Number.isInteger(index) || index < 0 || index >= tour.steps.length) return null;
  return <TourPanel tour={tour} index={index} />;
}

function TourPanel({ tour, index }: { tour: Tour; index: number }) {
  const navigate = useNavigate();
  const step = tour.steps[index];
  const rect = useTargetRect(step?.targets ?? [], `${tour.id}:${index}`);
  const isLast = index === tour.steps.length - 1;

  useEffect(() => {
    try {
      window.localStorage.setItem(LAST_STEP_KEY, JSON.stringify({ tour: tour.id, step: index + 1 }));
    } catch {
      // Storage disabled: the URL still holds the step.
    }
  }, [tour.id, index]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
      if (
        (event.key === 'ArrowRight' || event.key === 'n' || event.key === 'PageDown') &&
        index < tour.steps.length - 1
      ) {
        event.preventDefault();
        void navigate(stepHref(tour, index + 1));
      } else if ((event.key === 'ArrowLeft' || event.key === 'p' || event.key === 'PageUp') && index > 0) {
        event.preventDefault();
        void navigate(stepHref(tour, index - 1));
      } else if (event.key === 'Escape') {
        void navigate('/tour');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [navigate, tour, index]);

  if (step === undefined) return null;
  return (
    <>
      {rect ? (
        <div
          aria-hidden="true"
          data-testid="tour-highlight"
          className="pointer-events-none fixed z-40 rounded-lg ring-4 ring-teal-500 ring-offset-2 transition-all duration-200 motion-reduce:transition-none"
          style={{ top: rect.top - 4, left: rect.left - 4, width: rect.width + 8, height: rect.height + 8 }}
        />
      ) : null}
      <aside
        aria-label="Presenter mode"
        className="fixed right-3 bottom-3 z-50 w-[min(26rem,calc(100vw-1.5rem))] rounded-lg border border-teal-600 bg-white p-4 text-sm shadow-xl dark:bg-slate-900"
      >
        <p className="text-xs font-medium text-teal-800 dark:text-teal-300">
          {tour.title} · step {index + 1} of {tour.steps.length}
          {step.minutes ? ` · ${step.minutes} min` : ''}
        </p>
        <div
          className="mt-1 h-1 rounded bg-slate-200 dark:bg-slate-700"
          role="progressbar"
          aria-label="Tour progress"
          aria-valuemin={1}
          aria-valuemax={tour.steps.length}
          aria-valuenow={index + 1}
        >
          <div
            className="h-1 rounded bg-teal-600"
            style={{ width: `${((index + 1) / tour.steps.length) * 100}%` }}
          />
        </div>
        <h2 className="mt-2 text-base font-semibold">{step.title}</h2>
        {step.persona ? <p className="mt-1 text-xs">Persona: {step.persona}</p> : null}
        <ul className="mt-2 list-disc space-y-1 pl-5">
          {step.points.map((point) => (
            <li key={point}>{point}</li>
          ))}
        </ul>
        <div className="mt-3 flex items-center gap-2">
          <Button disabled={index === 0} onClick={() => void navigate(stepHref(tour, index - 1))}>
            Previous
          </Button>
          {isLast ? (
            <Button variant="primary" onClick={() => void navigate('/tour')}>
              Finish
            </Button>
          ) : (
            <Button variant="primary" onClick={() => void navigate(stepHref(tour, index + 1))}>
              Next
            </Button>
          )}
          <Button variant="ghost" className="ml-auto" onClick={() => void navigate('/tour')}>
            Exit
          </Button>
        </div>
        <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
          Keys: → next · ← previous · Esc exit
        </p>
      </aside>
    </>
  );
}
