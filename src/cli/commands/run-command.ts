// `rollcall run`: runs scenario files and exits 0 (all passed), 1 (one failed) or 2 (usage/infra).
import type { CommandModule } from 'yargs';

interface RunArgs {
  paths: string[];
}

export function runCommand(setExit: (code: number) => void): CommandModule<object, RunArgs> {
  return {
    command: 'run [paths..]',
    describe: 'Run scenarios (default: all of scenarios/) on a throwaway cluster',
    builder: (y) => y.positional('paths', { type: 'string', array: true, default: [] as string[] }) as never,
    handler: async () => {
      setExit(2);
      throw new Error('not implemented yet');
    },
  };
}
