import {
  type BehaviourController,
  type HeldResponses,
  parseBehaviour,
  type RequestLog,
} from './control.js';
import type { ParsedBody } from './json-body.js';
import { createInvalidUrlError, OpenAiHttpError } from './openai-error.js';
import { createJsonReply, type JsonReply } from './upstream-reply.js';

export interface ControlState {
  requests: RequestLog;
  behaviour: BehaviourController;
  heldResponses: HeldResponses;
}

/**
 * Serves the test control API under `/_control`, which needs no key:
 * - `GET /_control/requests` lists recorded `/v1/*` requests; `DELETE` clears them.
 * - `GET /_control/behaviour` returns the behaviour, the matching requests it has left
 *   (`remaining`, null for no limit) and the number of held responses (`heldCount`).
 * - `POST /_control/behaviour` sets the behaviour; `DELETE` resets it to normal.
 * - `POST /_control/release` lets every response held by `holdAfterFirstChunk` continue and
 *   returns `{released}`. Responses that start later are held again while the behaviour lasts.
 */
export function handleControlRequest(
  method: string,
  path: string,
  body: ParsedBody,
  state: ControlState,
): JsonReply {
  try {
    return dispatchControlRequest(method, path, body, state);
  } catch (error) {
    if (error instanceof OpenAiHttpError) {
      return createJsonReply(error.status, error.toBody());
    }
    throw error;
  }
}

function dispatchControlRequest(
  method: string,
  path: string,
  body: ParsedBody,
  state: ControlState,
): JsonReply {
  const describeBehaviour = () => ({
    ...state.behaviour.describe(),
    heldCount: state.heldResponses.size,
  });

  if (path === '/_control/requests' && method === 'GET') {
    return createJsonReply(200, state.requests.list());
  }
  if (path === '/_control/requests' && method === 'DELETE') {
    state.requests.clear();
    return createJsonReply(200, { cleared: true });
  }
  if (path === '/_control/behaviour' && method === 'GET') {
    return createJsonReply(200, describeBehaviour());
  }
  if (path === '/_control/behaviour' && method === 'POST') {
    if (body.kind !== 'json') {
      throw new OpenAiHttpError(400, 'The behaviour must be a JSON object in the request body.');
    }
    state.behaviour.set(parseBehaviour(body.value));
    return createJsonReply(200, describeBehaviour());
  }
  if (path === '/_control/behaviour' && method === 'DELETE') {
    state.behaviour.reset();
    return createJsonReply(200, describeBehaviour());
  }
  if (path === '/_control/release' && method === 'POST') {
    return createJsonReply(200, { released: state.heldResponses.releaseAll() });
  }
  throw createInvalidUrlError(method, path);
}
