import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { CoreOptions, validationPipe } from '@app/core';
import { AppModule } from './app.module';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** Builds the HTTP application (used by main.ts and by the end-to-end tests alike). */
export async function createApiApp(options: CoreOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
      (req as { id?: string }).id = id;
      return id;
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'], objectSrc: ["'none'"], frameAncestors: ["'none'"],
      },
    },
  });
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20 } });
  app.getHttpAdapter().getInstance().addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.useGlobalPipes(validationPipe());
  SwaggerModule.setup('docs', app, SwaggerModule.createDocument(app, openApiConfig()), { jsonDocumentUrl: 'docs-json' });
  return app;
}

function openApiConfig() {
  return new DocumentBuilder()
    .setTitle('Prestagate API')
    .setDescription(
      'Governs contractor (prestataire) access to a healthcare information system, after the CH du Mans contractor charter. ' +
      'Errors are RFC 9457 problem details (application/problem+json). People authenticate with password + TOTP and a bearer token; ' +
      'gateways with an API key in X-Api-Key.',
    )
    .setVersion('1')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'gateway')
    .build();
}
