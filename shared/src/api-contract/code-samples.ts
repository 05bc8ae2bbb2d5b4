import type { RouteDefinition } from '../routes';

/** One entry of the `x-codeSamples` extension, which Scalar and Redoc show beside an operation. */
export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}

/**
 * Base URL in the samples: local mode's API. In AWS it is the stack output `ApiUrl`, or the
 * SPA's origin followed by `/v1`.
 */
const BASE_URL = 'http://127.0.0.1:8787/v1';

/** Returns samples for the `openai` SDK, curl and fetch of one AI route. */
export function aiCodeSamples(route: RouteDefinition): CodeSample[] {
  const sample = samplesByPath[route.path];
  if (!sample) {
    throw new Error(
      `AI route ${route.method} ${route.path} has no code samples; add them to ` +
        'shared/src/api-contract/code-samples.ts.',
    );
  }
  return sample;
}

/** The samples' own template literal, so a reader sees where the token goes. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the text is JavaScript source of a sample.
const BEARER_TOKEN = '`Bearer ${token}`';

const sdkClient = [
  "import OpenAI from 'openai';",
  '',
  '// apiKey: a personal API token (POST /v1/me/api-tokens) or a Cognito ID token.',
  `const client = new OpenAI({ baseURL: '${BASE_URL}', apiKey: process.env.CREDITGATE_TOKEN });`,
].join('\n');

const samplesByPath: Record<string, CodeSample[]> = {
  '/v1/chat/completions': [
    {
      lang: 'JavaScript',
      label: 'openai SDK',
      source: [
        sdkClient,
        '',
        'const stream = await client.chat.completions.create(',
        "  { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }], stream: true },",
        '  // Each SDK retry is a new charged call unless the key repeats.',
        "  { headers: { 'Idempotency-Key': crypto.randomUUID() } },",
        ');',
        'for await (const chunk of stream) {',
        "  process.stdout.write(chunk.choices[0]?.delta?.content ?? '');",
        '}',
      ].join('\n'),
    },
    {
      lang: 'Shell',
      label: 'curl',
      source: [
        `curl ${BASE_URL}/chat/completions \\`,
        '  -H "Authorization: Bearer $CREDITGATE_TOKEN" \\',
        '  -H "Content-Type: application/json" \\',
        '  -d \'{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}\' \\',
        '  --include   # shows the x-creditgate-cost and x-creditgate-balance receipt headers',
      ].join('\n'),
    },
    {
      lang: 'JavaScript',
      label: 'fetch',
      source: [
        `const response = await fetch('${BASE_URL}/chat/completions', {`,
        "  method: 'POST',",
        '  headers: {',
        `    Authorization: ${BEARER_TOKEN},`,
        "    'Content-Type': 'application/json',",
        '  },',
        "  body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] }),",
        '});',
        'const completion = await response.json();',
        "console.log(completion.choices[0].message.content, response.headers.get('x-creditgate-cost'));",
      ].join('\n'),
    },
  ],
  '/v1/embeddings': [
    {
      lang: 'JavaScript',
      label: 'openai SDK',
      source: [
        sdkClient,
        '',
        "const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'Hello' });",
        'console.log(result.data[0].embedding.length);',
      ].join('\n'),
    },
    {
      lang: 'Shell',
      label: 'curl',
      source: [
        `curl ${BASE_URL}/embeddings \\`,
        '  -H "Authorization: Bearer $CREDITGATE_TOKEN" \\',
        '  -H "Content-Type: application/json" \\',
        '  -d \'{"model":"text-embedding-3-small","input":"Hello"}\'',
      ].join('\n'),
    },
    {
      lang: 'JavaScript',
      label: 'fetch',
      source: [
        `const response = await fetch('${BASE_URL}/embeddings', {`,
        "  method: 'POST',",
        `  headers: { Authorization: ${BEARER_TOKEN}, 'Content-Type': 'application/json' },`,
        "  body: JSON.stringify({ model: 'text-embedding-3-small', input: 'Hello' }),",
        '});',
        'const { data } = await response.json();',
      ].join('\n'),
    },
  ],
  '/v1/models': [
    {
      lang: 'JavaScript',
      label: 'openai SDK',
      source: [
        sdkClient,
        '',
        'for await (const model of client.models.list()) console.log(model.id);',
      ].join('\n'),
    },
    {
      lang: 'Shell',
      label: 'curl',
      source: `curl ${BASE_URL}/models -H "Authorization: Bearer $CREDITGATE_TOKEN"`,
    },
    {
      lang: 'JavaScript',
      label: 'fetch',
      source: [
        `const response = await fetch('${BASE_URL}/models', {`,
        `  headers: { Authorization: ${BEARER_TOKEN} },`,
        '});',
        'const { data } = await response.json();',
      ].join('\n'),
    },
  ],
};
