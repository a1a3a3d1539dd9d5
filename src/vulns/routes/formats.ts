import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NoQuery } from '../../platform/http/schemas.js';
import { GENERIC_JSON_SCHEMA } from '../formats/generic.js';
import { FORMATS } from '../formats/registry.js';

const FormatJson = Type.Object({ id: Type.String(), name: Type.String(), container: Type.String(), detection: Type.String(), report_types: Type.Array(Type.String()) });

export function formatList() {
  return FORMATS.map((f) => ({ id: f.id, name: f.name, container: f.container, detection: f.detection, report_types: f.reportTypes }));
}

/** What Vigil can read, and the schema of its own generic format: documentation, so anyone may read it. */
export const formatRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/formats',
    { config: { access: { who: 'public' } }, schema: { tags: ['scans'], summary: 'Report formats Vigil detects, with how each is recognised', querystring: NoQuery, response: { 200: Type.Object({ items: Type.Array(FormatJson) }) } } },
    async () => ({ items: formatList() }),
  );
  app.get(
    '/api/v1/formats/generic.schema.json',
    { config: { access: { who: 'public' } }, schema: { tags: ['scans'], summary: 'JSON Schema of the Vigil generic report format', querystring: NoQuery } },
    async (_request, reply) => reply.type('application/schema+json').send(GENERIC_JSON_SCHEMA),
  );
};
