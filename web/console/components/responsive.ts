// The console on a phone (WeChat, DingTalk: about 390 px): below antd's md breakpoint the menu is a
// drawer and tables keep their columns' natural widths, scrolling sideways inside their own box
// instead of squeezing every cell to one character per line.
import { Grid } from 'antd';

type TableScroll = { x?: number | string | true; y?: number | string };

/** Below the md breakpoint (768 px). False until the first measure, which comes before the first paint. */
export function usePhone(): boolean {
  return Grid.useBreakpoint().md === false;
}

/**
 * A Table's `scroll`: on a phone at least as wide as its content (`max-content`), so it scrolls inside
 * its box; elsewhere `desktop` (none by default: columns share the page's width as before).
 */
export function useTableScroll(desktop?: TableScroll): TableScroll | undefined {
  const phone = usePhone();
  if (!phone) return desktop;
  const x = desktop?.x;
  return { ...desktop, x: typeof x === 'number' ? x : 'max-content' };
}
