/**
 * urql's operation context for the board's queries: POST with a JSON body. urql sends a short
 * query as GET by default, which the gateway's CSRF prevention refuses (no preflight header);
 * once the session's client posts everything this is a no-op.
 */
import type { OperationContext } from 'urql';

/** Pass as `context` to `useQuery` (a module constant: urql compares contexts by reference). */
export const POST_ONLY: Partial<OperationContext> = { preferGetMethod: false };
