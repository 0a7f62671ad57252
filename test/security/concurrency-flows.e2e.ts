import { concurrencyTests } from './concurrency-run';
import { SecurityWorld } from './security-world';

describe('Concurrency suite from the OpenAPI document: windows, reviews, charters and companies (R-INT)', () => {
  let sw: SecurityWorld;

  beforeAll(async () => {
    sw = await SecurityWorld.start({ others: false });
  }, 180_000);
  afterAll(() => sw?.close());

  concurrencyTests('flows', () => sw);
});
