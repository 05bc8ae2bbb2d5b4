import { Alert } from '@chakra-ui/react';
import type { ApiError } from '../../lib/api-error';

export interface ErrorAlertProps {
  /** Nothing is rendered while this is null. */
  error: ApiError | null;
  title?: string;
}

/** Shows a failed request's message, as the API or Cognito returned it. */
export function ErrorAlert({ error, title }: ErrorAlertProps) {
  if (!error) return null;
  return (
    <Alert.Root status="error" role="alert">
      <Alert.Indicator />
      <Alert.Content>
        {title && <Alert.Title>{title}</Alert.Title>}
        <Alert.Description overflowWrap="anywhere">{error.message}</Alert.Description>
      </Alert.Content>
    </Alert.Root>
  );
}
