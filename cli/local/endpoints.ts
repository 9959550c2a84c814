/** <state>/endpoints.json: how CLI commands find a running local stack (written by `ser local up` / `ser demo`). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_STATE_DIR = '.ser-local';
export const ENDPOINTS_FILE = 'endpoints.json';

export interface LocalEndpoints {
  /** Process serving the stack (absent once it stopped). */
  pid?: number;
  apiUrl: string;
  s3: string;
  dynamodb: string;
  sfn: string;
  bucket: string;
  featuresTable: string;
  runsTable: string;
  stateMachineArn: string;
  env: Record<string, string>;
  startedAt: string;
  stoppedAt?: string;
}

export function endpointsPath(stateDir: string): string {
  return join(stateDir, ENDPOINTS_FILE);
}

export function writeEndpointsFile(stateDir: string, endpoints: LocalEndpoints): void {
  writeFileSync(endpointsPath(stateDir), JSON.stringify(endpoints, null, 2));
}

export function readEndpointsFile(stateDir: string): LocalEndpoints | undefined {
  const file = endpointsPath(stateDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as LocalEndpoints;
}

/** True when the process named in the file is alive. */
export function isRunning(endpoints: LocalEndpoints | undefined): endpoints is LocalEndpoints & { pid: number } {
  if (!endpoints?.pid) return false;
  try {
    process.kill(endpoints.pid, 0);
    return true;
  } catch {
    return false;
  }
}
