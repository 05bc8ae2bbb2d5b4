import { Button, Stack, Text } from '@chakra-ui/react';
import { Navigate, Link as RouterLink, useLocation } from 'react-router';
import { PageHeader } from '../../components/ui/page-header';
import { useMe } from '../auth/use-auth';
import { homePathFor, navigationByRole } from './home-path';

/**
 * Paths that lead a signed-in member home: the root, and the links of the invitation and
 * password-reset emails, which mean nothing once signed in.
 */
const HOME_PATHS = new Set(['/', '/accept-invite', '/forgot-password']);

/**
 * Renders what a console shows for a path it has no page for. The root and the session links
 * lead to the role's home page. Anything else, such as a mistyped URL or another role's page,
 * gets a "Page not found" page, so the member learns that the link was wrong.
 */
export function ConsoleFallback() {
  const { role } = useMe();
  const { pathname } = useLocation();
  const homePath = homePathFor(role);
  if (HOME_PATHS.has(pathname)) return <Navigate to={homePath} replace />;

  const homeLabel = navigationByRole[role][0]?.label ?? 'home';
  return (
    <Stack gap="6" align="start">
      <PageHeader title="Page not found" description={`There is no page at ${pathname}.`} />
      <Text>The link may be mistyped, or the page may belong to another role.</Text>
      <Button asChild>
        <RouterLink to={homePath}>Go to {homeLabel}</RouterLink>
      </Button>
    </Stack>
  );
}
