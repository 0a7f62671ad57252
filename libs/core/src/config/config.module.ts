import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_CONFIG, AppConfig, parseConfig } from './app-config';

/**
 * Validates the environment once at boot (through @nestjs/config) and exposes the typed
 * AppConfig. `overrides` lets tests and the launcher give values without touching process.env.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(overrides: Record<string, string | undefined> = {}): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          cache: true,
          load: [],
          validate: (raw) => ({ app: parseConfig({ ...raw, ...definedOnly(overrides) }) }),
        }),
      ],
      providers: [
        { provide: APP_CONFIG, inject: [ConfigService], useFactory: (c: ConfigService) => c.get<AppConfig>('app') },
      ],
      exports: [APP_CONFIG],
    };
  }
}

function definedOnly(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, string>;
}
