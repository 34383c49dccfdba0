import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A process's memory and CPU time at one moment. */
export interface ProcessSample {
  rssMb: number;
  /** The most RSS the process has had (VmHWM); undefined where the OS does not say. */
  peakRssMb?: number;
  /** User plus system CPU time since the process started. */
  cpuMs: number;
  /** read- and write-like system calls so far (/proc/PID/io; Linux only). */
  readCalls?: number;
  writeCalls?: number;
}

let clockTicksPerSecond: Promise<number> | undefined;

/** Reads /proc/PID/stat and /proc/PID/status on Linux, else asks `ps`; undefined if it is gone. */
export async function sampleProcess(pid: number): Promise<ProcessSample | undefined> {
  try {
    return process.platform === 'linux' ? await sampleFromProc(pid) : await sampleFromPs(pid);
  } catch {
    return undefined;
  }
}

async function sampleFromProc(pid: number): Promise<ProcessSample> {
  const [stat, status, io, ticks] = await Promise.all([
    readFile(`/proc/${pid}/stat`, 'utf8'),
    readFile(`/proc/${pid}/status`, 'utf8'),
    readFile(`/proc/${pid}/io`, 'utf8').catch(() => ''),
    (clockTicksPerSecond ??= readClockTicks()),
  ]);
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  const kb = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  };
  const rssKb = kb('VmRSS') ?? 0;
  const peakKb = kb('VmHWM');
  const calls = (name: string) => {
    const match = new RegExp(`^${name}: (\\d+)`, 'm').exec(io);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  };
  const readCalls = calls('syscr');
  const writeCalls = calls('syscw');
  return {
    rssMb: toMb(rssKb),
    ...(peakKb === undefined ? {} : { peakRssMb: toMb(peakKb) }),
    cpuMs: Math.round(((userTicks + systemTicks) * 1000) / ticks),
    ...(readCalls === undefined ? {} : { readCalls }),
    ...(writeCalls === undefined ? {} : { writeCalls }),
  };
}

async function sampleFromPs(pid: number): Promise<ProcessSample> {
  const { stdout } = await execFileAsync('ps', ['-o', 'rss=,time=', '-p', String(pid)]);
  const [rss, time] = stdout.trim().split(/\s+/);
  return { rssMb: toMb(Number(rss)), cpuMs: parseCpuTimeMs(time ?? '0') };
}

// `ps` prints CPU time as [[dd-]hh:]mm:ss[.cc].
export function parseCpuTimeMs(text: string): number {
  const [days, clock] = text.includes('-') ? text.split('-') : ['0', text];
  const parts = (clock ?? '0').split(':').map(Number);
  const seconds = parts.reduce((total, part) => total * 60 + part, 0);
  return Math.round((Number(days) * 86_400 + seconds) * 1000);
}

async function readClockTicks(): Promise<number> {
  try {
    const { stdout } = await execFileAsync('getconf', ['CLK_TCK']);
    const ticks = Number(stdout.trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

function toMb(kb: number): number {
  return Math.round((kb / 1024) * 10) / 10;
}
