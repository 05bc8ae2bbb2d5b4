import type { APIGatewayProxyResult } from 'aws-lambda';

/** Headers every JSON response carries. */
const jsonHeaders = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return { statusCode, headers: { ...jsonHeaders, ...headers }, body: JSON.stringify(body) };
}

export function noContentResponse(): APIGatewayProxyResult {
  return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
}
