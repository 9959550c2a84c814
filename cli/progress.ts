/**
 * A small progress bar over cli-progress, drawn on stderr (stdout may carry CSV). Disabled — every method a no-op
 * except `log` — when stderr is not a TTY (CI, pipes, tests) or with --quiet.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Begin a bar of `total` steps. */
  start(total: number): void;
  /** Advance one step; `item` names what was just done. */
  increment(item?: string): void;
  /** Print a line without tearing the bar (goes to stderr). */
  log(line: string): void;
  stop(): void;
}

export interface ProgressOptions {
  /** What is counted, e.g. "files". */
  unit: string;
  quiet?: boolean;
  /** @default process.stderr */
  stream?: NodeJS.WriteStream;
}

export function createProgress({ unit, quiet = false, stream = process.stderr }: ProgressOptions): Progress {
  const write = (line: string) => stream.write(line.endsWith('\n') ? line : `${line}\n`);
  if (quiet || !stream.isTTY) return { start() {}, increment() {}, log: write, stop() {} };
  const multi = new cliProgress.MultiBar(
    { stream, format: `{bar} {value}/{total} ${unit} | {eta_formatted} left | {item}`, hideCursor: true, clearOnComplete: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  return {
    start: (total) => void (bar = multi.create(total, 0, { item: '' })),
    increment: (item = '') => bar?.increment(1, { item }),
    log: (line) => (bar ? multi.log(line.endsWith('\n') ? line : `${line}\n`) : write(line)),
    stop: () => multi.stop(),
  };
}
