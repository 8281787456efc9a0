import NewRequest, { type NewRequestProps } from '../new-request';
import { previewMovesFrom } from '../_components/reschedule';

/** `npm run email:dev` only: the new-request email for a request of kind `reschedule`, which names both times. */
export default function NewRescheduleRequest(props: NewRequestProps) {
  return <NewRequest {...props} />;
}

NewRescheduleRequest.PreviewProps = {
  ...NewRequest.PreviewProps,
  movesFrom: previewMovesFrom,
} satisfies NewRequestProps;
