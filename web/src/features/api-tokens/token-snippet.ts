/**
 * Returns a Node.js example that calls Creditgate through the official `openai` SDK, with the
 * token read from the `CREDITGATE_API_TOKEN` environment variable so it stays out of code.
 */
export function buildOpenAiSnippet(apiOrigin: string, model: string): string {
  return [
    "import OpenAI from 'openai';",
    '',
    'const client = new OpenAI({',
    `  baseURL: '${apiOrigin}/v1',`,
    '  apiKey: process.env.CREDITGATE_API_TOKEN,',
    '});',
    '',
    'const reply = await client.chat.completions.create({',
    `  model: '${model}',`,
    "  messages: [{ role: 'user', content: 'Hello!' }],",
    '});',
    'console.log(reply.choices[0].message.content);',
  ].join('\n');
}
