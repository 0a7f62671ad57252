import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build` puts the console (vite build): `dist/web`, for this file compiled into `dist/apps/api/src/web`. */
export function webDirBeside(compiledDir: string): string {
  return resolve(compiledDir, '../../../../web');
}
export const DEFAULT_WEB_DIR = webDirBeside(__dirname);

/** Paths the console never answers, even for a GET: they keep the API's own problem+json 404. */
const NOT_CONSOLE = /^\/(v1|health|docs|metrics)(?=$|[/?\-.])/;

/** Hashed bundle files never change under their name; the page itself is checked at every visit. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the console's Vite build under `/`, and index.html for every other GET that is not an API path (it routes
 * itself with the history API). Without a build (`dist/web` missing) the API starts all the same and says so once.
 */
export async function serveConsole(app: NestFastifyApplication, configured: string | null): Promise<boolean> {
  const dir = configured ? resolve(configured) : DEFAULT_WEB_DIR;
  const indexFile = join(dir, 'index.html');
  const log = new Logger('WebConsole');
  if (!existsSync(indexFile)) {
    log.log(`No web console build in ${dir} (npm run build makes it): the API is served without it`);
    return false;
  }
  const index = readFileSync(indexFile);
  // Swagger UI already decorates the reply with sendFile; this instance only serves the build's files.
  await app.register(fastifyStatic, {
    root: dir, prefix: '/', wildcard: false, index: false, decorateReply: false, cacheControl: false,
    setHeaders: (reply, path) => {
      reply.header('cache-control', path.includes('/assets/') ? IMMUTABLE : 'no-cache');
    },
  });
  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    if (NOT_CONSOLE.test(request.url)) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index);
  };
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/', page);
  fastify.get('/*', page);
  log.log(`Web console served from ${dir}`);
  return true;
}
