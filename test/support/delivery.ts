// A recording Delivery for core tests: what Minga would post, edit and send directly, without any platform.
import type { Delivery } from '../../src/delivery.js';
import type { Reply } from '../../src/reply.js';

export interface RecordingDelivery extends Delivery {
  posts: { conversation: string; reply: Reply; ref: string }[];
  edits: { conversation: string; ref: string; reply: Reply }[];
  directs: { platform: string; workspaceId: string; userId: string; reply: Reply }[];
}

export function recordingDelivery(): RecordingDelivery {
  let next = 0;
  const delivery: RecordingDelivery = {
    posts: [],
    edits: [],
    directs: [],
    async post(conversation, reply) {
      const ref = `m${++next}`;
      delivery.posts.push({ conversation, reply, ref });
      return ref;
    },
    async edit(conversation, ref, reply) {
      delivery.edits.push({ conversation, ref, reply });
    },
    async sendDirect(platform, workspaceId, userId, reply) {
      delivery.directs.push({ platform, workspaceId, userId, reply });
      return `d${++next}`;
    },
  };
  return delivery;
}
