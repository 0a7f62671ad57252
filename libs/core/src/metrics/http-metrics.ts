import type { FastifyInstance } from 'fastify';
import { Metrics } from './metrics';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Seconds: from a cached decision (a few ms) to a large journal batch or an export (seconds). */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Times every answer of the API, errors and unknown paths included, labelled by the route
 * pattern (`/v1/accounts/:id`, never the URL with its ids), so the number of series stays that of
 * the routes; requests no route matched share the label `unmatched`.
 */
export function observeHttpRequests(fastify: FastifyInstance, metrics: Metrics): void {
  const duration = metrics.histogram(
    'prestagate_http_request_duration_seconds', 'Time to answer an API request, by route pattern, method and status class',
    ['method', 'route', 'status_class'], BUCKETS,
  );
  fastify.addHook('onResponse', (request, reply, done) => {
    duration.observe({
      method: METHODS.has(request.method) ? request.method : 'OTHER',
      route: request.routeOptions.url ?? 'unmatched',
      status_class: `${Math.floor(reply.statusCode / 100)}xx`,
    }, reply.elapsedTime / 1000);
    done();
  });
}
