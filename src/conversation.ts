// Opaque cross-platform conversation ids (`slack:T1:C2`, `discord:G1:C2`, `console:local:main`) that stored rows keep.
import type { Platform, Requester } from './identity.js';

export interface ConversationParts {
  platform: Platform;
  workspaceId: string;
  channelId: string;
}

export function conversationId({ platform, workspaceId, channelId }: ConversationParts): string {
  return [platform, workspaceId, channelId].map((part) => encodeURIComponent(part)).join(':');
}

/**
 * A conversation of the requester's workspace: the channel given, else the one the command was typed in; undefined when
 * there is neither (a direct message on a platform that has no channel for it).
 */
export function conversationIn(requester: Pick<Requester, 'platform' | 'workspaceId' | 'channelId'>, channelId = requester.channelId): string | undefined {
  return channelId ? conversationId({ platform: requester.platform, workspaceId: requester.workspaceId, channelId }) : undefined;
}

export function parseConversationId(id: string): ConversationParts | undefined {
  const parts = id.split(':');
  if (parts.length !== 3) return undefined;
  const [platform, workspaceId, channelId] = parts.map((part) => decodeURIComponent(part));
  if (platform !== 'console' && platform !== 'slack' && platform !== 'discord') return undefined;
  if (!workspaceId || !channelId) return undefined;
  return { platform, workspaceId, channelId };
}

/** A channel as Minga's own messages name it: `#` and its id (conversations keep no names), e.g. `#C0GENERAL`, `#general` on the console. */
export function channelLabel(conversation: string): string {
  return `#${parseConversationId(conversation)?.channelId ?? conversation}`;
}
