import RequestApproved, { type RequestApprovedProps } from '../request-approved';
import { previewMovesFrom } from '../_components/reschedule';

/** `npm run email:dev` only: the request-approved email for a request of kind `reschedule`, which names both times. */
export default function RescheduleRequestApproved(props: RequestApprovedProps) {
  return <RequestApproved {...props} />;
}

RescheduleRequestApproved.PreviewProps = {
  ...RequestApproved.PreviewProps,
  movesFrom: previewMovesFrom,
} satisfies RequestApprovedProps;
