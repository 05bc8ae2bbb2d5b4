import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type CodeDelivery, watchCodeDeliveries } from './cognito-mail';

const ESC = String.fromCharCode(27);

/** A log excerpt as cognito-local 5.3 prints it, colours included. */
const deliveryLog = [
  `[1796418208742] ${ESC}[32mINFO${ESC}[39m: ${ESC}[36m1e6faacf ForgotPassword ╭────────────────────────────╮`,
  '│                                                       │',
  '│   Confirmation Code Delivery                          │',
  '│                                                       │',
  '│   Username:    5c29b520-e979-4536-82cd-9b2dfd5c56bc   │',
  '│   Destination: user@example.test                      │',
  '│   Code:        074008                                 │',
  '│                                                       │',
  `╰───────────────────────────────────────────────────────╯${ESC}[39m {"reqId":"1e6faacf"}`,
].join('\n');

async function collect(text: string): Promise<CodeDelivery[]> {
  const output = new PassThrough();
  const deliveries: CodeDelivery[] = [];
  watchCodeDeliveries(output, (delivery) => deliveries.push(delivery));
  output.end(text);
  await new Promise((resolve) => setImmediate(resolve));
  return deliveries;
}

describe('cognito-local code deliveries', () => {
  it('reads destination and code', async () => {
    expect(await collect(`${deliveryLog}\n`)).toEqual([
      { operation: 'ForgotPassword', destination: 'user@example.test', code: '074008' },
    ]);
  });

  it('reads several boxes', async () => {
    expect(await collect(`${deliveryLog}\nother line\n${deliveryLog}\n`)).toHaveLength(2);
  });

  it('reads a box printed on one line', async () => {
    const oneLine = deliveryLog.split('\n').join('');
    expect(await collect(`${oneLine}\n`)).toEqual([
      { operation: 'ForgotPassword', destination: 'user@example.test', code: '074008' },
    ]);
  });

  it('ignores a box without a code', async () => {
    const withoutCode = deliveryLog
      .split('\n')
      .filter((line) => !line.includes('Code:  '))
      .join('\n');
    expect(await collect(`${withoutCode}\n`)).toEqual([]);
  });
});
