import { parseArgs } from "node:util";
import { UsageError } from "./command.js";

export interface FlagSpec {
  readonly [name: string]: { readonly type: "boolean" | "string"; readonly multiple?: boolean };
}

export type FlagValues<T extends FlagSpec> = {
  [K in keyof T]?: T[K]["type"] extends "boolean"
    ? boolean
    : T[K]["multiple"] extends true
      ? string[]
      : string;
};

/** `util.parseArgs` in strict mode, with its errors turned into one-line usage errors. */
export function parseFlags<T extends FlagSpec>(
  args: readonly string[],
  options: T,
): { values: FlagValues<T> } {
  try {
    const { values } = parseArgs({
      args: [...args],
      options: options as never,
      strict: true,
      allowPositionals: false,
    });
    return { values: values };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.split("\n")[0] ?? message);
  }
}
