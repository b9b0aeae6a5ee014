// Opaque cross-platform conversation ids (`slack:T1:C2`, `discord:G1:C2`, `console:local:main`) that stored rows keep.
import type { Platform } from './identity.js';

export interface ConversationParts {
  platform: Platform;
  workspaceId: string;
  channelId: string;
}

export function conversationId({ platform, workspaceId, channelId }: ConversationParts): string {
  return [platform, workspaceId, channelId].map((part) => encodeURIComponent(part)).join(':');
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
