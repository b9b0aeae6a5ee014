// The processes a benchmark started, read from /proc: each with its command and resident memory, children included.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessMemory {
  pid: number;
  command: string;
  rssKb: number;
}

/** Every process of the tree rooted at `pid`, with its resident memory, read from /proc. */
export function processTree(pid: number): ProcessMemory[] {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    const own = { pid, command, rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) };
    const children = readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(' ').filter(Boolean));
    return [own, ...children.flatMap((child) => processTree(Number(child)))];
  } catch {
    // The process ended between two reads.
    return [];
  }
}

/** Resident memory of a process and all its descendants, in kB (npm, a launcher and Minga each count). */
export function treeRss(pid: number): number {
  return processTree(pid).reduce((sum, process) => sum + process.rssKb, 0);
}
