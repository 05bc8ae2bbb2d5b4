import { OpenAiHttpError } from './openai-error.js';

export type ModelKind = 'chat' | 'embedding';

export interface ModelEntry {
  id: string;
  kind: ModelKind;
  /** Unix seconds, fixed so that `GET /v1/models` is the same on every run. */
  created: number;
}

/** The models this upstream serves; every one is in Creditgate's default price table. */
export const upstreamModels: readonly ModelEntry[] = [
  { id: 'gpt-4o-mini', kind: 'chat', created: 1721172741 },
  { id: 'gpt-4o', kind: 'chat', created: 1715367049 },
  { id: 'o4-mini', kind: 'chat', created: 1744225351 },
  { id: 'text-embedding-3-small', kind: 'embedding', created: 1705948997 },
];

/**
 * Tells whether OpenAI treats the model as a reasoning model: o-series names (`o1`, `o3-mini`,
 * `o4-mini`) and the gpt-5 family. Those models report reasoning tokens and reject `max_tokens`.
 */
export function isReasoningModel(model: string): boolean {
  return /^o\d/.test(model) || model.startsWith('gpt-5');
}

export function toModelObject(model: ModelEntry): Record<string, unknown> {
  return { id: model.id, object: 'model', created: model.created, owned_by: 'system' };
}

/**
 * Finds a served model of the given kind. Throws a 404 with code `model_not_found` for an
 * unknown model, and a 404 naming the right endpoint for a model of the other kind.
 */
export function requireModel(model: string, kind: ModelKind): ModelEntry {
  const entry = upstreamModels.find((candidate) => candidate.id === model);
  if (entry === undefined) {
    return throwModelNotFound(model);
  }
  if (entry.kind !== kind) {
    const endpoint = kind === 'chat' ? 'v1/chat/completions' : 'v1/embeddings';
    throw new OpenAiHttpError(
      404,
      `The model \`${model}\` is not supported by the ${endpoint} endpoint.`,
      { param: 'model' },
    );
  }
  return entry;
}

export function throwModelNotFound(model: string): never {
  throw new OpenAiHttpError(
    404,
    `The model \`${model}\` does not exist or you do not have access to it.`,
    { code: 'model_not_found' },
  );
}
