import { request } from 'node:http';

/**
 * The image's HEALTHCHECK: exit 0 when this container's API answers `/health/live`. Liveness, not readiness, so a
 * Redis outage (503 on `/health/ready`) does not mark every replica unhealthy. Plain node:http: no curl in the image.
 */
const port = Number(process.env.PORT || 3000);

// Under the image's HEALTHCHECK --timeout (5 s), so a slow answer is reported here rather than killed there.
const req = request({ host: '127.0.0.1', port, path: '/health/live', timeout: 4000 }, (res) => {
  res.resume();
  if (res.statusCode !== 200) console.error(`health check failed: /health/live answered ${res.statusCode}`);
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', (error) => {
  console.error(`health check failed: ${error.message}`);
  process.exit(1);
});
req.end();
