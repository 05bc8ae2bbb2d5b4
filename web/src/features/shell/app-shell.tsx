import {
  Badge,
  Box,
  Button,
  Container,
  Flex,
  HStack,
  Text,
  VisuallyHidden,
} from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { NavLink, useNavigate } from 'react-router';
import { ColorModeButton } from '../../components/ui/color-mode-button';
import { formatRole } from '../../lib/format';
import { useAuth, useMe } from '../auth/use-auth';
import { SECURITY_PATH } from '../security/security-path';
import { navigationByRole } from './home-path';
import { ProductMark } from './product-mark';
import { usePendingRequestCount } from './use-pending-request-count';

/** The page where TenantAdmins decide credit requests. Its nav item shows the pending count. */
const CREDIT_REQUESTS_PATH = '/credit-requests';

export interface AppShellProps {
  children: ReactNode;
}

/** Renders the signed-in frame: navigation, the caller's email and role, and sign-out. */
export function AppShell({ children }: AppShellProps) {
  const me = useMe();
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const pendingRequests = usePendingRequestCount();

  return (
    <Box minHeight="100dvh">
      {/* Lets keyboard users jump past the navigation; shown only while it has focus. */}
      <Box
        asChild
        position="absolute"
        zIndex="skipNav"
        top="2"
        insetStart="2"
        paddingX="3"
        paddingY="2"
        bg="bg"
        borderWidth="1px"
        borderRadius="l2"
        textStyle="sm"
        transform="translateY(-200%)"
        _focusVisible={{ transform: 'none' }}
      >
        <a href="#main">Skip to content</a>
      </Box>
      <Box as="header" bg="bg" borderBottomWidth="1px" position="sticky" top="0" zIndex="sticky">
        <Container maxWidth="6xl">
          {/*
            Below md the navigation takes a row of its own and wraps, so sign-out and every
            page stay on screen.
          */}
          <Flex minHeight="14" align="center" columnGap="6" wrap="wrap">
            <ProductMark />
            <HStack
              as="nav"
              gap="1"
              aria-label="Main"
              order={{ base: 3, md: 0 }}
              width={{ base: 'full', md: 'auto' }}
              flex={{ md: '1' }}
              paddingBottom={{ base: '2', md: '0' }}
              wrap={{ base: 'wrap', md: 'nowrap' }}
              overflowX={{ md: 'auto' }}
            >
              {navigationByRole[me.role].map((item) => (
                <Button key={item.path} asChild variant="ghost" size="sm" paddingX="2">
                  <NavLink
                    to={item.path}
                    style={({ isActive }) => ({ fontWeight: isActive ? 600 : 400 })}
                  >
                    {item.label}
                    {item.path === CREDIT_REQUESTS_PATH && pendingRequests && (
                      <Badge size="xs" colorPalette="orange" variant="solid" marginStart="1">
                        {pendingRequests}
                        <VisuallyHidden> pending</VisuallyHidden>
                      </Badge>
                    )}
                  </NavLink>
                </Button>
              ))}
            </HStack>
            <HStack gap="3" marginStart="auto" height="14">
              <Text textStyle="sm" color="fg.muted" hideBelow="2xl">
                {me.email}
              </Text>
              <Badge variant="outline">{formatRole(me.role)}</Badge>
              <Button asChild variant="ghost" size="sm" paddingX="2">
                <NavLink
                  to={SECURITY_PATH}
                  style={({ isActive }) => ({ fontWeight: isActive ? 600 : 400 })}
                >
                  Security
                </NavLink>
              </Button>
              <ColorModeButton />
              <Button
                variant="outline"
                size="sm"
                onClick={() => {
                  // An expired session keeps the path to return to. A chosen sign-out starts
                  // over, so the next person to sign in lands on their own home page.
                  signOut();
                  navigate('/', { replace: true });
                }}
              >
                Sign out
              </Button>
            </HStack>
          </Flex>
        </Container>
      </Box>
      <Container as="main" id="main" tabIndex={-1} maxWidth="6xl" paddingY="8" outline="none">
        {children}
      </Container>
    </Box>
  );
}
