// Q: can this be traced back to me? A: no. In CI every job of a provider shares one id,
// `ci:<provider>`, so runners are never counted as users and no id file is written.
import { loadCiInfo } from "../deps.js";
import { mayBeCi } from "./ci-env-names.js";

export interface CiEnvironment {
  readonly isCi: boolean;
  /** Display name such as "GitHub Actions"; null for an unknown provider or outside CI. */
  readonly name: string | null;
}

/** ci-info reads process.env when loaded; it is loaded only when it could find CI, guarded. */
export function detectCi(): CiEnvironment {
  try {
    if (!mayBeCi(process.env)) return { isCi: false, name: null };
    const info = loadCiInfo();
    return { isCi: info.isCI, name: info.isCI ? info.name : null };
  } catch {
    return { isCi: false, name: null };
  }
}

/** `ci:github-actions`, or `ci:generic` when only `CI=true` says we are in CI. */
export function ciUserId(ci: CiEnvironment): string {
  const slug = (ci.name ?? "generic")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `ci:${slug || "generic"}`;
}
