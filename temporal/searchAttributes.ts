import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Ids only: names, emails and phone numbers never go into search attributes (operators see these).
/** The practice a workflow belongs to. */
export const practiceIdKey = defineSearchAttributeKey('BookingPracticeId', SearchAttributeType.KEYWORD);
/** The clinician whose request or appointment it is. */
export const clinicianIdKey = defineSearchAttributeKey('BookingClinicianId', SearchAttributeType.KEYWORD);
/** The request's or appointment's current status word. */
export const bookingStatusKey = defineSearchAttributeKey('BookingStatus', SearchAttributeType.KEYWORD);
/**
 * A step an operator should look at: `failing:<activity>` while it keeps failing and is still retried,
 * `failed:<activity>` once it failed for good; absent when nothing needs attention.
 */
export const attentionKey = defineSearchAttributeKey('BookingAttention', SearchAttributeType.KEYWORD);

/** Every custom search attribute the workflows set; registered on the server at start. */
export const bookingSearchAttributes = [practiceIdKey, clinicianIdKey, bookingStatusKey, attentionKey];
