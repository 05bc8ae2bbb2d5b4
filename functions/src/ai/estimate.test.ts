import { describe, expect, it } from 'vitest';
import {
  estimateCompletionTokens,
  estimateHold,
  estimatePromptTokens,
  messageText,
} from './estimate';

// One credit per input token and two per output token keep the arithmetic readable.
const price = { input: 1_000_000, cachedInput: 500_000, output: 2_000_000 };

describe('messageText', () => {
  it('returns string content', () => {
    expect(messageText('Hello')).toBe('Hello');
  });

  it('joins text parts', () => {
    const content = [
      { type: 'text', text: 'Hello, ' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
      { type: 'text', text: 'world' },
    ];

    expect(messageText(content)).toBe('Hello, world');
  });

  it('returns empty text for other content', () => {
    expect(messageText(null)).toBe('');
    expect(messageText(undefined)).toBe('');
    expect(messageText({ text: 'not a list' })).toBe('');
    expect(messageText([null, 'raw', { text: 5 }])).toBe('');
  });
});

describe('estimatePromptTokens', () => {
  it('counts a third of bytes plus framing', () => {
    // 10 bytes round up to 4 tokens, plus 8 for the one message.
    const messages = [{ role: 'user', content: '0123456789' }];

    expect(estimatePromptTokens(messages)).toBe(12);
  });

  it('counts UTF-8 bytes', () => {
    // Three euro signs are 9 bytes in UTF-8 and 3 UTF-16 code units.
    const messages = [{ role: 'user', content: '€€€' }];

    expect(estimatePromptTokens(messages)).toBe(3 + 8);
  });

  it('adds framing for every message', () => {
    const messages = [
      { role: 'system', content: '' },
      { role: 'user', content: '' },
      { role: 'assistant' },
    ];

    expect(estimatePromptTokens(messages)).toBe(24);
  });

  it('sums bytes before rounding', () => {
    // 1 + 1 + 1 bytes are one token, not three.
    const messages = [
      { role: 'user', content: 'a' },
      { role: 'user', content: 'b' },
      { role: 'user', content: 'c' },
    ];

    expect(estimatePromptTokens(messages)).toBe(1 + 24);
  });
});

describe('estimateCompletionTokens', () => {
  it('counts a third of bytes', () => {
    expect(estimateCompletionTokens('0123456789')).toBe(4);
  });

  it('counts at least one token', () => {
    expect(estimateCompletionTokens('')).toBe(1);
  });
});

describe('estimateHold', () => {
  it('prices prompt and max tokens', () => {
    // The prompt is ceil(3 / 3) + 8 = 9 tokens at 1 credit, and the completion 100 tokens at 2.
    const hold = estimateHold({
      price,
      messages: [{ content: 'abc' }],
      maxTokens: 100,
      choices: 1,
    });

    expect(hold).toBe(209);
  });

  it('multiplies by choices', () => {
    const hold = estimateHold({
      price,
      messages: [{ content: 'abc' }],
      maxTokens: 100,
      choices: 3,
    });

    expect(hold).toBe(627);
  });

  it('rounds up to whole credits', () => {
    const cheap = { input: 15_000, cachedInput: 7_500, output: 60_000 };

    // (9 * 15,000 + 10 * 60,000) / 1e6 = 0.735 credits.
    const hold = estimateHold({
      price: cheap,
      messages: [{ content: 'abc' }],
      maxTokens: 10,
      choices: 1,
    });

    expect(hold).toBe(1);
  });

  it('holds at least one credit', () => {
    const free = { input: 0, cachedInput: 0, output: 0 };

    const hold = estimateHold({
      price: free,
      messages: [{ content: 'abc' }],
      maxTokens: 10,
      choices: 1,
    });

    expect(hold).toBe(1);
  });
});
