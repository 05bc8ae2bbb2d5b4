import { describe, expect, it } from 'vitest';
import { chatRequestSchema, embeddingsRequestSchema } from './ai-schemas';

const validChat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] };

/** Returns each issue as `path: message`, as the API's validation errors name them. */
function issuesOf(result: { success: boolean; error?: { issues: readonly Issue[] } }): string[] {
  return (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

describe('chatRequestSchema', () => {
  it('accepts a minimal request', () => {
    expect(chatRequestSchema.safeParse(validChat).success).toBe(true);
  });

  it('names the field of a wrong type', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ model: 42 }, 'model: must be a string'],
      [{ model: 'm'.repeat(101) }, 'model: must be at most 100 characters'],
      [{ stream: 'yes' }, 'stream: must be a boolean'],
      [{ stream_options: 'usage' }, 'stream_options: must be an object'],
      [
        { stream_options: { include_usage: 'yes' } },
        'stream_options.include_usage: must be a boolean',
      ],
      [{ max_tokens: 'lots' }, 'max_tokens: must be a number'],
      [{ max_tokens: 1.5 }, 'max_tokens: must be an integer'],
      [{ max_tokens: 0 }, 'max_tokens: must be at least 1'],
      [{ max_completion_tokens: 'lots' }, 'max_completion_tokens: must be a number'],
      [{ n: 'two' }, 'n: must be a number'],
      [{ n: 0 }, 'n: must be at least 1'],
      [{ n: 17 }, 'n: must be at most 16'],
    ];

    for (const [change, expected] of cases) {
      const result = chatRequestSchema.safeParse({ ...validChat, ...change });
      expect(issuesOf(result), expected).toEqual([expected]);
    }
  });

  it('accepts null for optional fields', () => {
    const result = chatRequestSchema.safeParse({
      ...validChat,
      stream: null,
      stream_options: null,
      max_tokens: null,
      max_completion_tokens: null,
      n: null,
    });

    expect(result.success).toBe(true);
  });
});

describe('embeddingsRequestSchema', () => {
  it('names the field of a wrong type', () => {
    expect(issuesOf(embeddingsRequestSchema.safeParse({ model: 7, input: 'x' }))).toEqual([
      'model: must be a string',
    ]);
    expect(issuesOf(embeddingsRequestSchema.safeParse({ model: 'e', input: 7 }))).toEqual([
      'input: must be a string, an array of strings, or token ids',
    ]);
  });
});
