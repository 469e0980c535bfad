// Painting every animation frame without React: a clock face is computed per frame and written straight
// into the DOM, so React does not re-render sixty times a second. Used by the big screen and the
// console, so free of Ant Design.
import { type DependencyList, useEffect, useRef } from 'react';

/** A ref holding the latest value, for a frame loop that outlives the render it was started in. */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}

/**
 * Runs a painter on every animation frame until unmount. `start` makes the painter (its closure keeps
 * what was last written, so the DOM is touched only on a change); a change of `deps` starts a new one.
 */
export function useFrameLoop(start: () => () => void, deps: DependencyList): void {
  useEffect(
    () => {
      const paint = start();
      let frame = 0;
      const loop = () => {
        paint();
        frame = requestAnimationFrame(loop);
      };
      loop();
      return () => cancelAnimationFrame(frame);
    },
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to restart.
    deps,
  );
}
