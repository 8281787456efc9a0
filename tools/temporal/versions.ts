/** Temporal CLI release built by `go install` (the newest release that `go install <pkg>@<version>` accepts). */
export const TEMPORAL_CLI_VERSION = '1.5.1';

/** Maven version of io.temporal:temporal-test-server; keep in step with tools/temporal/test-server/pom.xml. */
export const TEST_SERVER_VERSION = '1.38.0';
