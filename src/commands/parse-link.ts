// The linking part of the command language: `alliance link | join <code> | unlink | channel [#channel]` and `alianza vincular | unirse <código> | desvincular | canal [#canal]`. Pure.
import type { Command } from './command.js';
import { parseChannel } from './mentions.js';
import { expectEnd, fail, words, type Token } from './tokens.js';

const LINK = words('link', 'vincular', 'enlazar');
const JOIN = words('join', 'unirse', 'unir', 'sumarse');
const UNLINK = words('unlink', 'leave', 'desvincular', 'desvincularse', 'desenlazar');
const CHANNEL = words('channel', 'home', 'canal');

/**
 * The words after `alliance`/`alianza` when they are one of the link subcommands; undefined for anything else, so the
 * other `alliance` subcommands (show, rename) are parsed elsewhere. A code may be typed in groups with spaces or dashes.
 */
export function parseAllianceLink(tokens: Token[]): Command | undefined {
  const [sub, ...rest] = tokens;
  if (!sub) return undefined;
  if (LINK.has(sub.word)) return expectEnd(rest, { kind: 'alliance.link' });
  if (UNLINK.has(sub.word)) return expectEnd(rest, { kind: 'alliance.unlink' });
  if (JOIN.has(sub.word)) {
    if (rest.length === 0) throw fail('error.linkCodeMissing');
    return { kind: 'alliance.join', code: rest.map((token) => token.text).join(' ') };
  }
  if (CHANNEL.has(sub.word)) {
    const [named, ...after] = rest;
    if (!named) return { kind: 'alliance.channel' };
    const channel = parseChannel(named.text);
    if (!channel) throw fail('error.homeChannelInvalid', { input: named.text });
    return expectEnd(after, { kind: 'alliance.channel', channel });
  }
  return undefined;
}
