import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, MetricsServer } from '@app/core';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  const app = await createApiApp();
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.listen({ port: config.http.port, host: config.http.host });
  new Logger('api').log(`API listening on http://${config.http.host}:${config.http.port} (OpenAPI at /docs)`);
  await app.get(MetricsServer).listen();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
