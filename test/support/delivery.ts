// A recording Delivery for core tests: what Minga would post, edit and send directly, without any platform.
import { conversationId } from '../../src/conversation.js';
import type { Delivery } from '../../src/delivery.js';
import type { Reply } from '../../src/reply.js';

export interface RecordingDelivery extends Delivery {
  posts: { conversation: string; reply: Reply; ref: string }[];
  edits: { conversation: string; ref: string; reply: Reply }[];
  directs: { platform: string; workspaceId: string; userId: string; reply: Reply }[];
  /**
   * Set to make a post or a direct message fail as a platform would: called with where it goes (the conversation id, or
   * `platform:workspace:user` for a direct message); an error it returns is thrown and nothing is recorded.
   */
  failWith?: (to: string) => Error | undefined;
  /** What `canPost` answers for a conversation; undefined (cannot tell) when unset. */
  postable?: (conversation: string) => boolean | undefined;
}

export function recordingDelivery(): RecordingDelivery {
  let next = 0;
  const delivery: RecordingDelivery = {
    posts: [],
    edits: [],
    directs: [],
    async post(conversation, reply) {
      const failure = delivery.failWith?.(conversation);
      if (failure) throw failure;
      const ref = `m${++next}`;
      delivery.posts.push({ conversation, reply, ref });
      return ref;
    },
    async edit(conversation, ref, reply) {
      delivery.edits.push({ conversation, ref, reply });
    },
    async sendDirect(platform, workspaceId, userId, reply) {
      const failure = delivery.failWith?.(conversationId({ platform, workspaceId, channelId: userId }));
      if (failure) throw failure;
      delivery.directs.push({ platform, workspaceId, userId, reply });
      return `d${++next}`;
    },
    async canPost(conversation) {
      return delivery.postable?.(conversation);
    },
  };
  return delivery;
}
