export { validateRule, ruleProblem, summarizeRule, compileRule } from './rules';
export type { AvailabilityRuleInput, CompiledRule, RuleField } from './rules';
export { occurrenceWindows } from './occurrences';
export type { AvailabilityWindow } from './occurrences';
export { computeSlots, isSlotOffered } from './slots';
export type { Interval, BookingPreferences, SlotQuery, Slot } from './slots';
