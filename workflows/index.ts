export * from './diagnostics';
export * from './appointmentRequest';
export * from './cancellation';
export * from './portalEmail';
export * from './passwordResetEmail';
