import type { ResponseOf } from '../generated/api';
import { useLoad } from '../ui';
import { useStaff } from './context';

/** The practice's time zone, to offer first in a time-zone picker; null until known (a suggestion only). */
export function usePracticeZone(): string | null {
  const { call } = useStaff();
  const practice = useLoad(
    (signal) => call<ResponseOf<'GET /api/practice'>>('/api/practice', { signal }),
    [call],
  );
  return practice.data?.timeZone ?? null;
}
