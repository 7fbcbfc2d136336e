/** Printed once per machine, on stderr, by the process that creates the anonymous id (SPEC §3). */
export function formatFirstRunNotice(dir: string): string {
  return [
    "",
    "Attention: Alchemy collects anonymous usage telemetry (an anonymous id was just created).",
    "It records which commands and resource types run, how long they take and whether they fail,",
    "with OS, runtime, CPU/memory and CI provider. No names, paths, secrets or personal data.",
    `Pending events can be read in ${dir}/spool.ndjson; see \`alchemy-telemetry status\`.`,
    "To opt out: export ALCHEMY_TELEMETRY_DISABLED=1 (or DO_NOT_TRACK=1), or run `alchemy-telemetry disable`.",
    "",
  ].join("\n");
}
