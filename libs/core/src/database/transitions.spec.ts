import { ConflictError } from '../errors/domain-error';
import { Lifecycle } from './transitions';

describe('Lifecycle', () => {
  type Status = 'submitted' | 'validated' | 'rejected';
  const signature = new Lifecycle<Status, 'validated' | 'rejected'>('Signature', 'SIGNATURE_ALREADY_DECIDED', {
    validated: ['submitted'],
    rejected: ['submitted'],
  });

  it('R-INT allows a transition only from the states its table lists', () => {
    expect(signature.can('submitted', 'validated')).toBe(true);
    expect(signature.can('rejected', 'validated')).toBe(false);
    expect(() => signature.check('submitted', 'rejected')).not.toThrow();
  });

  it('R-INT a refused transition is a 409 that names the current state, for the loser of a race', () => {
    let thrown: unknown;
    try {
      signature.check('validated', 'rejected');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConflictError);
    expect(thrown).toMatchObject({
      code: 'SIGNATURE_ALREADY_DECIDED', status: 409, extra: { currentStatus: 'validated', action: 'rejected' },
    });
  });
});
