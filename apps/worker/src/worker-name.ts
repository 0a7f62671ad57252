import { hostname } from 'node:os';

/**
 * This process's name in BullMQ: each job keeps the name of the worker that ran it
 * (`processedBy`), so with several workers an operator (and the tests) can tell which one did.
 */
export const WORKER_NAME = `${hostname()}:${process.pid}`;
