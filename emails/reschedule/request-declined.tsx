import RequestDeclined, { type RequestDeclinedProps } from '../request-declined';
import { previewMovesFrom } from '../_components/reschedule';

/** `npm run email:dev` only: the request-declined email for a request of kind `reschedule`, which names both times. */
export default function RescheduleRequestDeclined(props: RequestDeclinedProps) {
  return <RequestDeclined {...props} />;
}

RescheduleRequestDeclined.PreviewProps = {
  ...RequestDeclined.PreviewProps,
  movesFrom: previewMovesFrom,
} satisfies RequestDeclinedProps;
