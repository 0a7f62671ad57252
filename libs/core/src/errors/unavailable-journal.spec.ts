import { isServiceUnavailable as isConnectionFailure } from './unavailable';

describe('R-INT isServiceUnavailable on what the journal meets: "PostgreSQL cannot be reached", not "PostgreSQL refused this"', () => {
  const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it.each([
    ['a refused connection', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a server shut down under a query (TypeORM wraps it)',
      Object.assign(new Error('terminating connection'), { driverError: coded('57P01') })],
    ['a server still starting', coded('57P03')],
    ['a connection exception class', coded('08006')],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly')],
    ['every address refused', new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'connect failed')],
  ])('%s is one', (_label, error) => {
    expect(isConnectionFailure(error)).toBe(true);
  });

  it.each([
    ['a NUL in text', coded('22021', 'invalid byte sequence for encoding "UTF8": 0x00')],
    ['a unique violation', Object.assign(new Error('duplicate key'), { driverError: coded('23505') })],
    ['a plain bug', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('%s is not', (_label, error) => {
    expect(isConnectionFailure(error)).toBe(false);
  });
});
