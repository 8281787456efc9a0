import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { status } from '@grpc/grpc-js';
import { bookingSearchAttributes } from './searchAttributes';
import { codecDataConverter, type CodecKey } from './codec';

/**
 * Opens a client connection to a Temporal frontend; what it sends is encrypted with the first key. `native`: through
 * the SDK's Rust core (as the worker connects) instead of grpc-js, so the calls show in the runtime's metrics.
 */
export async function connectClient(
  address: string,
  namespace: string,
  keys: CodecKey[],
  opts: { native?: boolean } = {},
): Promise<Client> {
  const connection = opts.native
    ? await NativeConnection.connect({ address })
    : await Connection.connect({ address });
  return new Client({ connection, namespace, dataConverter: codecDataConverter(keys) });
}

/** Opens the worker's native connection to a Temporal frontend. */
export function connectWorker(address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}

/**
 * Registers the booking search attributes on a server that does not have them yet (a dev server started by
 * the project gets them on its command line; an external cluster gets them here, once).
 */
export async function ensureSearchAttributes(client: Client, namespace: string): Promise<void> {
  const operator = client.connection.operatorService;
  let missing = bookingSearchAttributes;
  try {
    const { customAttributes } = await operator.listSearchAttributes({ namespace });
    missing = bookingSearchAttributes.filter((key) => !(customAttributes && key.name in customAttributes));
  } catch (err) {
    // The Java time-skipping server cannot list, only add; adding what exists is refused harmlessly below.
    if ((err as { code?: number }).code !== status.UNIMPLEMENTED) throw err;
  }
  if (missing.length === 0) return;
  try {
    await operator.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((key) => [
          key.name,
          proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        ]),
      ),
    });
  } catch (err) {
    if ((err as { code?: number }).code !== status.ALREADY_EXISTS) throw err;
  }
}

/** True when the frontend answers a cheap call within timeoutMs. */
export async function temporalReachable(client: Client, timeoutMs = 2000): Promise<boolean> {
  try {
    await client.connection.withDeadline(Date.now() + timeoutMs, () =>
      client.connection.workflowService.getSystemInfo({}),
    );
    return true;
  } catch {
    return false;
  }
}
