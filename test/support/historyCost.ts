import proto from '@temporalio/proto';

type History = proto.temporal.api.history.v1.IHistory;
const EventType = proto.temporal.api.enums.v1.EventType;

/**
 * What a workflow's history cost the Temporal server and the worker: every event is a row the server writes, every
 * workflow task a round trip server → worker → server, every activity task another one, and each local activity a
 * marker written with the workflow task that ran it (no round trip of its own).
 */
export interface HistoryCost {
  events: number;
  workflowTasks: number;
  activityTasks: number;
  localActivities: number;
  timers: number;
  /** Round trips between the server and a worker: workflow tasks plus activity tasks. */
  roundTrips: number;
  /** Every event type present, with its count, e.g. `ActivityTaskScheduled: 1`. */
  byType: Record<string, number>;
}

/** The event type's name as the Temporal UI shows it (`EVENT_TYPE_ACTIVITY_TASK_SCHEDULED` → ActivityTaskScheduled). */
function typeName(type: number | null | undefined): string {
  const raw = EventType[type ?? 0] ?? `Unknown${type}`;
  return raw
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase());
}

/** Counts a history's events by type, up to (not including) the first event `stopAt` accepts, if given. */
export function historyCost(
  history: History,
  stopAt?: (event: proto.temporal.api.history.v1.IHistoryEvent) => boolean,
): HistoryCost {
  const byType: Record<string, number> = {};
  let localActivities = 0;
  for (const event of history.events ?? []) {
    if (stopAt?.(event)) break;
    const name = typeName(event.eventType);
    byType[name] = (byType[name] ?? 0) + 1;
    // Patch markers (patched()) are markers too; only the SDK's local-activity markers are activities.
    if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') localActivities++;
  }
  const workflowTasks = byType.WorkflowTaskCompleted ?? 0;
  const activityTasks = byType.ActivityTaskStarted ?? 0;
  return {
    events: Object.values(byType).reduce((a, b) => a + b, 0),
    workflowTasks,
    activityTasks,
    localActivities,
    timers: byType.TimerStarted ?? 0,
    roundTrips: workflowTasks + activityTasks,
    byType,
  };
}

/** The mean of several histories' costs, by field (one decimal), for a benchmark's sample. */
export function meanCost(
  costs: HistoryCost[],
): Omit<HistoryCost, 'byType'> & { byType: Record<string, number> } {
  const n = Math.max(costs.length, 1);
  const mean = (f: (c: HistoryCost) => number) =>
    Math.round((costs.reduce((s, c) => s + f(c), 0) / n) * 10) / 10;
  const types = [...new Set(costs.flatMap((c) => Object.keys(c.byType)))].sort();
  return {
    events: mean((c) => c.events),
    workflowTasks: mean((c) => c.workflowTasks),
    activityTasks: mean((c) => c.activityTasks),
    localActivities: mean((c) => c.localActivities),
    timers: mean((c) => c.timers),
    roundTrips: mean((c) => c.roundTrips),
    byType: Object.fromEntries(types.map((t) => [t, mean((c) => c.byType[t] ?? 0)])),
  };
}
