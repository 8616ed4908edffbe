// Progress lines for long work (builds, cluster start). Goes to stderr so --json output stays clean.

export interface Progress {
  (line: string): void;
}

/** Prints `rollcall: <line>` on stderr unless quiet. */
export function stderrProgress(quiet = false): Progress {
  return (line: string) => {
    if (!quiet) process.stderr.write(`rollcall: ${line}\n`);
  };
}

export const silentProgress: Progress = () => {};
