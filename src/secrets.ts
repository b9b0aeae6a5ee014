// Deployment-wide secrets kept in Postgres, created once by whichever instance asks first, so every instance computes the same keys.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { instanceSecrets } from '../db/schema.js';

export async function deploymentSecret(tx: Db, name: string): Promise<string> {
  const read = async () => (await tx.select().from(instanceSecrets).where(eq(instanceSecrets.name, name)))[0]?.value;
  const existing = await read();
  if (existing) return existing;
  await tx.insert(instanceSecrets).values({ name, value: randomBytes(32).toString('base64') }).onConflictDoNothing();
  return (await read())!;
}
