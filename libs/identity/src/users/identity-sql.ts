/** R-MEMB the identity of the membership `$1`, in a statement of identity's repositories. */
export const IDENTITY_OF = '(SELECT identity_id FROM users WHERE id = $1)';

/** R-MEMB every membership of the identity of the membership `$1` (a password change, a lock: all of them). */
export const MEMBERSHIPS_OF = `(SELECT id FROM users WHERE identity_id = ${IDENTITY_OF})`;
