export * from './diagnostics';
export * from './appointmentRequest';
export * from './cancellation';
export * from './portalEmail';
export * from './staffInvitation';
export * from './staffSignupNotice';
export * from './passwordResetEmail';
export * from './rescheduleInvite';
