import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { pathOfFile, type RecordedPath } from './histories/paths';

type History = proto.temporal.api.history.v1.History;

/** A recorded history file, read: which code recorded which path of which workflow type. */
export interface RecordedHistory {
  file: string;
  /** The code that recorded it: the file name's prefix (a commit, or a name such as `step-attention`). */
  code: string;
  path: RecordedPath;
  workflowType: string;
  /** The activity types the history scheduled, in order. */
  activityTypes: string[];
  /** The patches (patched() / deprecatePatch() ids) whose markers the history holds. */
  patches: string[];
  history: History;
}

/** The folder record.ts writes to. */
export const historiesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');

/** Every `*.history.bin` under histories/, decoded; a file whose path is not in paths.ts is an error. */
export function recordedHistories(): RecordedHistory[] {
  return fs
    .readdirSync(historiesDir)
    .filter((f) => f.endsWith('.history.bin'))
    .sort()
    .map((file) => {
      const p = pathOfFile(file);
      if (!p) throw new Error(`${file}: its path is not listed in histories/paths.ts`);
      const history = proto.temporal.api.history.v1.History.decode(
        fs.readFileSync(path.join(historiesDir, file)),
      );
      const started = history.events[0]?.workflowExecutionStartedEventAttributes;
      return {
        file,
        code: file.slice(0, file.length - `-${p}.history.bin`.length),
        path: p,
        workflowType: started?.workflowType?.name ?? '',
        activityTypes: history.events.flatMap((e) =>
          e.activityTaskScheduledEventAttributes
            ? [e.activityTaskScheduledEventAttributes.activityType!.name!]
            : [],
        ),
        patches: history.events.flatMap((e) =>
          (e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? []).map(
            (payload) => (JSON.parse(Buffer.from(payload.data!).toString('utf8')) as { id: string }).id,
          ),
        ),
        history,
      };
    });
}
