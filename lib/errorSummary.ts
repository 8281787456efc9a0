/** What an operator may see of an error: its kind, a message without personal data, and its code. */
export interface ErrorSummary {
  type: string;
  message: string;
  code?: string;
}

interface ErrorLike {
  name?: unknown;
  type?: unknown;
  message?: unknown;
  code?: unknown;
  parent?: unknown;
  original?: unknown;
  details?: unknown;
}

// Anything that looks like an address: a client's email can reach a message through a provider's refusal or a
// statement's value, and must never reach a log line or a workflow history.
const EMAIL = /[^\s<>"'`,;:()[\]]+@[^\s<>"'`,;:()[\]]+/g;
// PostgreSQL names the refused value in data exceptions ('invalid input syntax for type uuid: "…"'); constraint
// and column names are quoted the same way, but those messages belong to other SQLSTATE classes.
const QUOTED = /"[^"]*"/g;
const MAX_MESSAGE = 300;

/** The SQLSTATE of a database error (Sequelize keeps the driver's error as parent/original), if it has one. */
export function sqlStateOf(err: unknown): string | undefined {
  for (const e of [err, (err as ErrorLike)?.parent, (err as ErrorLike)?.original]) {
    const code = (e as ErrorLike | undefined)?.code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** The code an error carries: SQLSTATE, a provider's error name, a Node code, or one kept in a failure's details. */
function codeOf(err: ErrorLike): string | undefined {
  const sqlState = sqlStateOf(err);
  if (sqlState) return sqlState;
  for (const e of [err, err.parent, err.original] as (ErrorLike | undefined)[]) {
    if (typeof e?.code === 'string' || typeof e?.code === 'number') return String(e.code);
  }
  const details = Array.isArray(err.details) ? (err.details[0] as { code?: unknown } | undefined) : undefined;
  return typeof details?.code === 'string' ? details.code : undefined;
}

/** A message with addresses masked and, for data exceptions, the refused value left out. */
export function scrubMessage(message: string, sqlState?: string): string {
  let text = message.replace(EMAIL, (address) => {
    const at = address.lastIndexOf('@');
    return at <= 0 ? '***' : `${address[0]}***${address.slice(at)}`;
  });
  if (sqlState?.startsWith('22')) text = text.replace(QUOTED, '"…"');
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/**
 * The safe summary of anything thrown: never the statement, its parameters, PostgreSQL's detail/where (which
 * quote row values) or an address. An ApplicationFailure is summarised by its failure type.
 */
export function summarizeError(err: unknown): ErrorSummary {
  if (err === null || typeof err !== 'object')
    return { type: typeof err, message: scrubMessage(String(err)) };
  const e = err as ErrorLike;
  const type =
    typeof e.type === 'string' && e.type
      ? e.type
      : typeof e.name === 'string' && e.name
        ? e.name
        : (err.constructor?.name ?? 'Error');
  const code = codeOf(e);
  const message = scrubMessage(typeof e.message === 'string' ? e.message : '', sqlStateOf(err));
  return code === undefined ? { type, message } : { type, message, code };
}
