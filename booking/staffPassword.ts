/** The shortest password a staff account may have (NIST SP 800-63B asks for at least 8; we ask a little more). */
export const MIN_STAFF_PASSWORD_LENGTH = 10;
/** The longest, as sign-in accepts (argon2 hashes any length, but a megabyte of password is an attack). */
export const MAX_STAFF_PASSWORD_LENGTH = 1024;

/** Why a new staff password is refused, as a sentence; null when it is acceptable. Pure. */
export function staffPasswordProblem(password: string): string | null {
  if ([...password].length < MIN_STAFF_PASSWORD_LENGTH)
    return `Choose a password of at least ${MIN_STAFF_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_STAFF_PASSWORD_LENGTH)
    return `Choose a password of at most ${MAX_STAFF_PASSWORD_LENGTH} characters.`;
  if (password.trim() === '') return 'Choose a password that is not only spaces.';
  if (new Set(password).size < 3) return 'Choose a password with more than one or two different characters.';
  return null;
}
