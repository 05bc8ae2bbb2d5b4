import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';
import type { ApiClient, ChatMessage } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { toApiError } from '../../lib/api-error';
import { useAuth, useMe } from '../auth/use-auth';
import { readChatStream } from './chat-stream';
import type { ConversationMessage } from './message-list';

/** The conversation of a signed-in member and the actions on it. */
export interface ChatSession {
  messages: ConversationMessage[];
  isStreaming: boolean;
  /**
   * The balance from the last reply's receipt, until the user record is read again. The
   * server settles a call after its last byte, so a read right after the reply could still
   * see the hold, while the receipt already has the settled balance.
   */
  receiptBalance: number | null;
  /** Sends `text` to `model` with the conversation so far, and streams the reply into it. */
  send: (model: string, text: string) => Promise<void>;
  /** Stops the reply that is streaming. The part already delivered is charged. */
  stop: () => void;
  /** Sends the message before a failed reply again, in place of that reply. */
  retry: (model: string, replyId: string) => Promise<void>;
  /** Starts a new conversation. Does nothing while a reply streams. */
  clear: () => void;
}

const ChatSessionContext = createContext<ChatSession | null>(null);

/** How long after a receipt the user record is read again, once the settlement is done. */
const REFRESH_AFTER_RECEIPT_MS = 2_000;

/** Attempts and spacing of the ledger lookup for the cost of a stopped reply. */
const STOPPED_COST_ATTEMPTS = 4;
const STOPPED_COST_DELAY_MS = 500;

/**
 * Keeps the conversation for the whole console, so that it survives moving between pages: a
 * reply keeps streaming while the member reads another page. Signing out unmounts the
 * console, which stops a running reply and drops the conversation.
 */
export function ChatSessionProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const { refreshMe } = useAuth();
  const me = useMe();
  const [messages, setMessages] = useState<ConversationMessage[]>([]);
  const [isStreaming, setStreaming] = useState(false);
  const [receiptBalance, setReceiptBalance] = useState<number | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const refreshTimerRef = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const messagesRef = useRef(messages);
  messagesRef.current = messages;

  useEffect(
    () => () => {
      abortRef.current?.abort();
      clearTimeout(refreshTimerRef.current);
    },
    [],
  );
  // A newer read of the user record is exact, and includes calls from other tabs and tools.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `me` changes on each read.
  useEffect(() => setReceiptBalance(null), [me]);

  const refreshMeQuietly = () => {
    refreshMe().catch(() => undefined);
  };

  const updateReply = (id: string, update: (message: ConversationMessage) => ConversationMessage) =>
    setMessages((current) =>
      current.map((message) => (message.id === id ? update(message) : message)),
    );

  const send = async (model: string, text: string) => {
    if (abortRef.current) return;
    const userMessage: ConversationMessage = {
      id: crypto.randomUUID(),
      role: 'user',
      content: text,
    };
    const replyId = crypto.randomUUID();
    const history: ChatMessage[] = [...messagesRef.current, userMessage]
      .filter((message) => message.content !== '' && !message.errorMessage)
      .map((message) => ({ role: message.role, content: message.content }));
    setMessages((current) => [
      ...current,
      userMessage,
      { id: replyId, role: 'assistant', content: '', isStreaming: true },
    ]);
    setStreaming(true);
    const controller = new AbortController();
    abortRef.current = controller;
    clearTimeout(refreshTimerRef.current);
    let requestId: string | null = null;
    let hasReceipt = false;

    try {
      const response = await api.startChatStream(model, history, controller.signal);
      requestId = response.headers.get('x-creditgate-request-id');
      if (!response.body) throw new Error('The reply has no body.');
      const result = await readChatStream(response.body, (delta) =>
        updateReply(replyId, (reply) => ({ ...reply, content: reply.content + delta })),
      );
      updateReply(replyId, (reply) => ({
        ...reply,
        isStreaming: false,
        receipt: result.receipt,
        errorMessage: result.error?.message,
      }));
      if (result.receipt) {
        hasReceipt = true;
        setReceiptBalance(result.receipt.balance);
      }
    } catch (reason) {
      const isStopped = controller.signal.aborted;
      updateReply(replyId, (reply) => ({
        ...reply,
        isStreaming: false,
        isStopped,
        errorMessage: isStopped ? 'Stopped.' : toApiError(reason).message,
      }));
      if (isStopped && requestId) {
        const cost = await findStoppedCost(api, requestId);
        if (cost !== undefined) updateReply(replyId, (reply) => ({ ...reply, stoppedCost: cost }));
      }
    } finally {
      abortRef.current = null;
      setStreaming(false);
      // The user record is exact and counts calls from other tabs, once this call has settled.
      if (hasReceipt)
        refreshTimerRef.current = setTimeout(refreshMeQuietly, REFRESH_AFTER_RECEIPT_MS);
      else refreshMeQuietly();
    }
  };

  const retry = async (model: string, replyId: string) => {
    const current = messagesRef.current;
    const replyIndex = current.findIndex((message) => message.id === replyId);
    const question = current[replyIndex - 1];
    if (replyIndex < 1 || question?.role !== 'user' || abortRef.current) return;
    setMessages(current.filter((_, index) => index !== replyIndex && index !== replyIndex - 1));
    messagesRef.current = current.slice(0, replyIndex - 1);
    await send(model, question.content);
  };

  const value: ChatSession = {
    messages,
    isStreaming,
    receiptBalance,
    send,
    stop: () => abortRef.current?.abort(),
    retry,
    clear: () => {
      if (!abortRef.current) setMessages([]);
    },
  };
  return <ChatSessionContext.Provider value={value}>{children}</ChatSessionContext.Provider>;
}

/** Returns the console's conversation. Throws outside `ChatSessionProvider`. */
export function useChatSession(): ChatSession {
  const session = useContext(ChatSessionContext);
  if (!session) throw new Error('useChatSession needs a ChatSessionProvider above it');
  return session;
}

/**
 * Returns what a stopped reply cost, from its closing ledger entry. The server settles a
 * stopped call once it notices the closed connection, so the entry may take a moment.
 * Returns undefined when it has not appeared after the last attempt.
 */
async function findStoppedCost(api: ApiClient, requestId: string): Promise<number | undefined> {
  for (let attempt = 0; attempt < STOPPED_COST_ATTEMPTS; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, STOPPED_COST_DELAY_MS));
    try {
      const page = await api.listMyLedger({ requestId, limit: 10 });
      const closing = page.items.find(
        (entry) => entry.type === 'SETTLE' || entry.type === 'RELEASE',
      );
      if (closing) return closing.type === 'SETTLE' ? closing.amount : 0;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
