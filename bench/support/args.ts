// bench/support/args: `--name value` and `--flag` parsing for the benchmarks, with numeric defaults.
export interface BenchArgs {
  number(name: string, fallback: number): number;
  flag(name: string): boolean;
}

export function parseBenchArgs(argv: readonly string[] = process.argv.slice(2)): BenchArgs {
  return {
    number(name, fallback) {
      const i = argv.indexOf(`--${name}`);
      if (i < 0) return fallback;
      const value = Number(argv[i + 1]);
      if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
      return value;
    },
    flag: (name) => argv.includes(`--${name}`),
  };
}
