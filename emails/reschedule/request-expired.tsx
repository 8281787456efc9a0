import RequestExpired, { type RequestExpiredProps } from '../request-expired';
import { previewMovesFrom } from '../_components/reschedule';

/** `npm run email:dev` only: the request-expired email for a request of kind `reschedule`, which names both times. */
export default function RescheduleRequestExpired(props: RequestExpiredProps) {
  return <RequestExpired {...props} />;
}

RescheduleRequestExpired.PreviewProps = {
  ...RequestExpired.PreviewProps,
  movesFrom: previewMovesFrom,
} satisfies RequestExpiredProps;
