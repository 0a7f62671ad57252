import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'typeorm';

/** Failures the code expects and turns into a 409 or a retry: integrity constraints, serialization, deadlock. */
const EXPECTED = /^(23|40001|40P01)/;

/**
 * Logs a failed query with its SQL state and the statement's start, never its parameters (e-mails, names, token
 * hashes): R-AUD, personal data stays in the database, where access is audited. TypeORM's loggers print them.
 */
export class QueryLogger implements Logger {
  private readonly out = new NestLogger('Database');

  logQueryError(error: string | Error, query: string): void {
    const e = error as { code?: string; message?: string };
    const entry = { sqlState: e.code ?? null, error: e.message ?? String(error), query: query.replace(/\s+/g, ' ').slice(0, 200) };
    if (e.code && EXPECTED.test(e.code)) this.out.debug(entry, 'query refused by a constraint');
    else this.out.error(entry, 'query failed');
  }

  logQuery(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.out.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.out.warn(message);
  }
}
