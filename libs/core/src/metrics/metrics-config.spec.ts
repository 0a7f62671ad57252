import { ConfigError, parseConfig } from '../config/app-config';

const required = { DATABASE_URL: 'postgres://localhost/x', APP_SECRET: 'a-secret-that-is-long-enough-0123456789' };

describe('metrics configuration', () => {
  it('serves metrics on the loopback, port 9464, without a token, when nothing is set', () => {
    expect(parseConfig(required).metrics).toEqual({ host: '127.0.0.1', port: 9464, token: null });
  });

  it('takes the host, the port (0: no listener) and the token from the environment', () => {
    const config = parseConfig({ ...required, METRICS_HOST: '0.0.0.0', METRICS_PORT: '0', METRICS_TOKEN: 'a-token-of-sixteen+' });
    expect(config.metrics).toEqual({ host: '0.0.0.0', port: 0, token: 'a-token-of-sixteen+' });
  });

  it('refuses a guessable token and a port out of range, naming the variable', () => {
    expect(() => parseConfig({ ...required, METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => parseConfig({ ...required, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
    expect(() => parseConfig({ ...required, METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
  });
});
