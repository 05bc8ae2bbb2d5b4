import { writeFileSync } from 'node:fs';
import { renderOpenApiJson } from '@creditgate/shared/api-contract';

/**
 * Writes `docs/openapi.json` from the route table and the schemas in `shared/`. A test fails
 * while the committed file differs from what this writes.
 */
const target = new URL('../docs/openapi.json', import.meta.url);
writeFileSync(target, renderOpenApiJson());
console.log(`Wrote ${target.pathname}`);
