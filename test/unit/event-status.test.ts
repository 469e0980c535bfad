// The status an event is shown with in the console (events list, event page): published once its
// results are, whatever the stored status; the stored status otherwise. Labelled in both locales.
import { describe, expect, it } from 'vitest';
import en from '../../src/platform/locales/en-US/console.json' with { type: 'json' };
import zh from '../../src/platform/locales/zh-CN/console.json' with { type: 'json' };
import { shownEventStatuses, shownStatus } from '../../web/console/event/Events.tsx';

describe('shown event status', () => {
  it('says published after publication, over active and locked', () => {
    const at = '2023-08-03T10:00:00.000Z';
    expect(shownStatus({ status: 'active', publishedAt: at })).toBe('published');
    expect(shownStatus({ status: 'locked', publishedAt: at })).toBe('published');
  });

  it('shows the stored status before publication (and after a withdrawal)', () => {
    expect(shownStatus({ status: 'draft', publishedAt: null })).toBe('draft');
    expect(shownStatus({ status: 'active', publishedAt: null })).toBe('active');
    expect(shownStatus({ status: 'locked', publishedAt: null })).toBe('locked');
  });

  it('labels every shown status in both locales (已发布 / Published)', () => {
    const zhStatuses = zh.events.statuses as Record<string, string>;
    const enStatuses = en.events.statuses as Record<string, string>;
    for (const s of shownEventStatuses) {
      expect(zhStatuses[s], s).toBeTruthy();
      expect(enStatuses[s], s).toBeTruthy();
    }
    expect(zhStatuses.published).toBe('已发布');
    expect(enStatuses.published).toBe('Published');
  });
});
