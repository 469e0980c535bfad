// PLACEHOLDER until web/common/live-client.ts lands.
import { useEffect } from 'react';

export interface JudgeLive {
  connected: boolean;
  offsetMs: number;
}

export function useJudgeLive(eventId: string | null, onRefresh: () => void): JudgeLive {
  useEffect(() => {
    void eventId;
    void onRefresh;
  }, [eventId, onRefresh]);
  return { connected: false, offsetMs: 0 };
}
