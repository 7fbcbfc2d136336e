// What the bench ran on, printed at the top and stored with the results.
import { cpus, freemem, loadavg, release, totalmem, type } from "node:os";
import { availableParallelism } from "node:os";

export function describeMachine() {
  const list = cpus();
  return {
    cpu: list[0]?.model?.trim() ?? "unknown",
    cores: availableParallelism(),
    memoryMb: Math.round(totalmem() / 2 ** 20),
    freeMemoryMb: Math.round(freemem() / 2 ** 20),
    node: process.version,
    os: `${type()} ${release()} ${process.arch}`,
    loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
  };
}

export function formatMachine(machine) {
  return [
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryMb} MB RAM (${machine.freeMemoryMb} MB free)`,
    `         node ${machine.node}, ${machine.os}, load average ${machine.loadAverage.join(" ")}`,
  ].join("\n");
}
