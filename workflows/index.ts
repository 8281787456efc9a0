export * from './diagnostics';
export * from './appointmentRequest';
