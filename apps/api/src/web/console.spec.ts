import { join } from 'node:path';
import { webDirBeside } from './console';

describe('web console location', () => {
  it('the compiled API (dist/apps/api/src/web) finds the console that npm run build wrote to dist/web', () => {
    expect(webDirBeside(join('/srv/prestagate', 'dist', 'apps', 'api', 'src', 'web'))).toBe(join('/srv/prestagate', 'dist', 'web'));
  });
});
