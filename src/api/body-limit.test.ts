import { Hono } from 'hono';
import { expect, test } from 'vitest';
import { limitBody } from './body-limit';

/** An app that echoes the size of the body it read, behind a 16-byte limit. */
function echoApp() {
  const app = new Hono();
  app.use('*', limitBody({ maxSize: 16, onError: (c) => c.text('too large', 413) }));
  app.all('*', async (c) => c.text(String((await c.req.text()).length)));
  return app;
}

/** A body without a length: a stream, as a chunked upload arrives. */
function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.subarray(0, 4));
      controller.enqueue(bytes.subarray(4));
      controller.close();
    },
  });
}

test('a declared length over the limit is refused before the body is read; within it the body passes', async () => {
  const app = echoApp();
  const over = await app.request('/', {
    method: 'POST',
    headers: { 'content-length': '17' },
    body: 'x'.repeat(17),
  });
  expect(over.status).toBe(413);
  const within = await app.request('/', {
    method: 'POST',
    headers: { 'content-length': '16' },
    body: 'x'.repeat(16),
  });
  expect(within.status).toBe(200);
  expect(await within.text()).toBe('16');
});

test('a body without a length (or with a transfer encoding) is counted as it streams', async () => {
  const app = echoApp();
  const streamed = (text: string, headers: Record<string, string> = {}) =>
    app.request('/', { method: 'POST', headers, body: streamOf(text), duplex: 'half' });
  expect((await streamed('x'.repeat(17))).status).toBe(413);
  // A transfer encoding overrides any length the request also claims.
  expect(
    (await streamed('x'.repeat(17), { 'content-length': '3', 'transfer-encoding': 'chunked' })).status,
  ).toBe(413);
  const within = await streamed('x'.repeat(16));
  expect(within.status).toBe(200);
  expect(await within.text()).toBe('16');
});

test('requests without a body pass, whatever their method', async () => {
  const app = echoApp();
  expect((await app.request('/')).status).toBe(200);
  expect((await app.request('/', { method: 'HEAD' })).status).toBe(200);
  expect((await app.request('/', { method: 'POST' })).status).toBe(200);
});
