import { cpus, totalmem, platform, release } from 'node:os';
import { chromeVersion } from '../../harness/chrome.mjs';

/** The facts a reader needs to compare figures across machines. */
export function machineFacts(executablePath) {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    chromium: executablePath ? chromeVersion(executablePath) : 'not found',
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}
