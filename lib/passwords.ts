import { hash, verify } from '@node-rs/argon2';

/** argon2id hash of a password (the library's defaults are argon2id, m=19 MiB, t=2, the OWASP baseline). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** True when password matches the stored hash; false for a malformed hash rather than throwing. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
