// @vitest-environment happy-dom
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Provider } from '../../components/ui/provider';
import type { ApiClient } from '../../lib/api-client';
import { ApiContext } from '../../lib/api-context';
import { parseErrorBody } from '../../lib/api-error';
import { createMe } from '../../test/render';
import { AuthContext, type AuthContextValue } from '../auth/auth-provider';
import { ChatSessionProvider, useChatSession } from './chat-session';

const encoder = new TextEncoder();
const chunk = (content: string) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

/** Returns a streamed reply of `parts` whose body errors when `signal` aborts. */
function streamedReply(parts: string[], signal?: AbortSignal, holdOpen = false): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      if (!holdOpen) controller.close();
      signal?.addEventListener('abort', () =>
        controller.error(new DOMException('The operation was aborted.', 'AbortError')),
      );
    },
  });
  return new Response(body, { headers: { 'x-creditgate-request-id': 'req_01' } });
}

function renderSession(api: Partial<ApiClient>) {
  const refreshMe = vi.fn(async () => undefined);
  const auth = {
    refreshMe,
    state: { status: 'signedIn', me: createMe({ balance: 100 }) },
  } as unknown as AuthContextValue;
  const wrapper = ({ children }: { children: ReactNode }) => (
    <Provider>
      <AuthContext.Provider value={auth}>
        <ApiContext.Provider value={api as ApiClient}>
          <ChatSessionProvider>{children}</ChatSessionProvider>
        </ApiContext.Provider>
      </AuthContext.Provider>
    </Provider>
  );
  const hook = renderHook(() => useChatSession(), { wrapper });
  return { ...hook, refreshMe };
}

describe('ChatSessionProvider', () => {
  it('streams a reply with its receipt', async () => {
    const startChatStream = vi.fn(async () =>
      streamedReply([
        chunk('Echo:'),
        chunk(' hi'),
        ': creditgate {"requestId":"req_01","cost":3,"balance":97}\n\n',
        'data: [DONE]\n\n',
      ]),
    );
    const { result, refreshMe } = renderSession({ startChatStream });

    await act(() => result.current.send('gpt-4o-mini', 'hi'));

    expect(startChatStream).toHaveBeenCalledWith(
      'gpt-4o-mini',
      [{ role: 'user', content: 'hi' }],
      expect.any(AbortSignal),
    );
    const [question, reply] = result.current.messages;
    expect(question).toMatchObject({ role: 'user', content: 'hi' });
    expect(reply).toMatchObject({
      role: 'assistant',
      content: 'Echo: hi',
      isStreaming: false,
      receipt: { requestId: 'req_01', cost: 3, balance: 97 },
    });
    expect(result.current.isStreaming).toBe(false);
    // The settlement runs after the last byte, so the record is read later, not at once.
    expect(result.current.receiptBalance).toBe(97);
    expect(refreshMe).not.toHaveBeenCalled();
  });

  it('reads the record at once after a failed call', async () => {
    const startChatStream = vi.fn(async () => {
      throw parseErrorBody(402, {
        error: { code: 'INSUFFICIENT_CREDITS', message: 'Not enough credits' },
      });
    });
    const { result, refreshMe } = renderSession({ startChatStream });

    await act(() => result.current.send('m', 'hi'));

    expect(refreshMe).toHaveBeenCalledTimes(1);
    expect(result.current.receiptBalance).toBeNull();
  });

  it('sends the history with the next message', async () => {
    const startChatStream = vi.fn(async () => streamedReply([chunk('ok'), 'data: [DONE]\n\n']));
    const { result } = renderSession({ startChatStream });

    await act(() => result.current.send('m', 'first'));
    await act(() => result.current.send('m', 'second'));

    expect(startChatStream).toHaveBeenLastCalledWith(
      'm',
      [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'second' },
      ],
      expect.any(AbortSignal),
    );
  });

  it('shows the cost of a stopped reply', async () => {
    const startChatStream = vi.fn(
      async (_model: string, _messages: unknown, signal?: AbortSignal) =>
        streamedReply([chunk('Partial')], signal, true),
    );
    const listMyLedger = vi.fn(async () => ({
      items: [
        {
          entryId: 'e2',
          tenantId: 't',
          type: 'SETTLE' as const,
          amount: 2,
          createdAt: '2026-12-05T10:00:00.000Z',
          actorId: 'u',
          requestId: 'req_01',
        },
      ],
      nextCursor: null,
    }));
    const { result } = renderSession({ startChatStream, listMyLedger });

    let sending: Promise<void> | undefined;
    act(() => {
      sending = result.current.send('m', 'long question');
    });
    await waitFor(() => expect(result.current.messages[1]?.content).toBe('Partial'));
    act(() => result.current.stop());
    await act(async () => {
      await sending;
    });

    expect(result.current.messages[1]).toMatchObject({
      content: 'Partial',
      isStopped: true,
      errorMessage: 'Stopped.',
      stoppedCost: 2,
    });
    expect(listMyLedger).toHaveBeenCalledWith({ requestId: 'req_01', limit: 10 });
  });

  it('retries a failed reply', async () => {
    const startChatStream = vi
      .fn<ApiClient['startChatStream']>()
      .mockRejectedValueOnce(
        parseErrorBody(429, { error: { code: 'RATE_LIMITED', message: 'Too many requests' } }),
      )
      .mockResolvedValueOnce(streamedReply([chunk('Answer'), 'data: [DONE]\n\n']));
    const { result } = renderSession({ startChatStream });

    await act(() => result.current.send('m', 'question'));
    const failed = result.current.messages[1];
    expect(failed).toMatchObject({ content: '', errorMessage: 'Too many requests' });
    expect(failed?.isStopped).toBe(false);

    await act(() => result.current.retry('m', failed?.id as string));

    expect(result.current.messages.map((message) => message.content)).toEqual([
      'question',
      'Answer',
    ]);
    expect(startChatStream).toHaveBeenLastCalledWith(
      'm',
      [{ role: 'user', content: 'question' }],
      expect.any(AbortSignal),
    );
  });

  it('starts a new conversation', async () => {
    const startChatStream = vi.fn(async () => streamedReply([chunk('ok'), 'data: [DONE]\n\n']));
    const { result } = renderSession({ startChatStream });
    await act(() => result.current.send('m', 'hello'));

    act(() => result.current.clear());

    expect(result.current.messages).toEqual([]);
  });
});
