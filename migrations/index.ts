import { Foundation1763900000000 } from './1763900000000-foundation';
import { ContractorsAndCharters1763900000001 } from './1763900000001-contractors-and-charters';

/** The one migration chain, in order. A new migration is appended here. */
export const MIGRATIONS = [Foundation1763900000000, ContractorsAndCharters1763900000001];
