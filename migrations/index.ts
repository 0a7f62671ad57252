import { Foundation1763900000000 } from './1763900000000-foundation';

/** The one migration chain, in order. A new migration is appended here. */
export const MIGRATIONS = [Foundation1763900000000];
