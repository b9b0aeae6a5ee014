// How each platform writes a person or a channel in command text: Slack `<@U1|name>` and `<#C1|name>`, Discord `<@1>` and `<#1>`, the console `@name` and `#name`. Pure.
import type { ChannelMention, MemberMention } from './command.js';

/** A person as each platform writes them: Slack `<@U123>` or `<@U123|name>`, Discord `<@123>` or `<@!123>`, console `@name`. */
export function parseMention(text: string): MemberMention | undefined {
  const escaped = /^<@!?([A-Z0-9]+)(?:\|([^>]+))?>$/i.exec(text);
  if (escaped) return { userId: escaped[1]!, ...(escaped[2] && { name: escaped[2] }) };
  const plain = /^@([\p{L}\p{N}._-]{1,80})$/u.exec(text);
  if (plain) return { userId: plain[1]!, name: plain[1]! };
  return undefined;
}

/**
 * A channel as each platform writes it: Slack `<#C123|general>` or `<#C123>` (the Slack adapter turns these into
 * `#general` and vouches for the id, see Requester.channels), Discord `<#123>`, or a name as typed: `#general`.
 */
export function parseChannel(text: string): ChannelMention | undefined {
  const escaped = /^<#([A-Z0-9]+)(?:\|([^<>|]*))?>$/i.exec(text);
  if (escaped) return { id: escaped[1]!, ...(escaped[2] && { name: escaped[2] }) };
  const plain = /^#([\p{L}\p{N}._-]{1,80})$/u.exec(text);
  return plain ? { name: plain[1]! } : undefined;
}
