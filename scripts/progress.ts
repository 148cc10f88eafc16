import cliProgress from "cli-progress";

/** A progress bar on stderr (stdout stays clean for machine-readable output). */
export function createProgressBar(label: string): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} {file}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: Boolean(process.env.CI),
      notTTYSchedule: 2000,
    },
    cliProgress.Presets.shades_classic,
  );
}
