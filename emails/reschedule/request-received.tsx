import RequestReceived, { type RequestReceivedProps } from '../request-received';
import { previewMovesFrom } from '../_components/reschedule';

/** `npm run email:dev` only: the request-received email for a request of kind `reschedule`, which names both times. */
export default function RescheduleRequestReceived(props: RequestReceivedProps) {
  return <RequestReceived {...props} />;
}

RescheduleRequestReceived.PreviewProps = {
  ...RequestReceived.PreviewProps,
  movesFrom: previewMovesFrom,
} satisfies RequestReceivedProps;
