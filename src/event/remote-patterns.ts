// Q: can this be traced back to me? A: not through a git remote: a remote in an error keeps its
// shape (`git@github.com:[REDACTED:repo].git`), but never the repository, the user before the
// `@`, or the name of a company's own git host.
import { lazy } from "./lazy.js";
import { caseless } from "./regex-source.js";
import type { RedactionRule } from "./rule.js";
import { AT, SLASH } from "./text-features.js";

const forges = lazy(
  () =>
    new Set(
      "github.com gitlab.com bitbucket.org codeberg.org ssh.dev.azure.com dev.azure.com gitee.com git.sr.ht"
        .split(" ")
        .concat("huggingface.co", "hf.co", "vs-ssh.visualstudio.com"),
    ),
);

/** A public forge's name is kept (it says where, not whose); any other git host is a company's. */
export function isPublicForge(host: string): boolean {
  return forges().has(host.toLowerCase());
}

function describeHost(host: string): string {
  return isPublicForge(host) ? host : "[REDACTED:host]";
}

/**
 * Git remotes name a repository: the path (`org/repo`) goes, the shape stays. Run before the
 * e-mail rule, which would read `git@github.com` as an address.
 */
export const REMOTE_RULES: readonly RedactionRule[] = [
  {
    // scp-like `git@github.com:org/repo.git`.
    label: "git-remote",
    marks: [":"],
    gate: { needs: AT, minLength: 5 },
    source: () =>
      String.raw`(?<![\w.+%-])[A-Za-z0-9._-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*:(?!\d+(?![\w./~-]))(?=[\w.~-]*/|[\w./~-]*\.git(?![\w.-]))[\w./~-]*[\w-]`,
    replace: (match) => {
      const at = match.indexOf("@");
      const colon = match.indexOf(":", at);
      const user = match.slice(0, at);
      const keptUser = user === "git" ? user : "[REDACTED:user]";
      const suffix = match.endsWith(".git") ? ".git" : "";
      return `${keptUser}@${describeHost(match.slice(at + 1, colon))}:[REDACTED:repo]${suffix}`;
    },
  },
  {
    // `git@github.com: Permission denied (publickey).`: ssh's git user at a host is no address
    // (the e-mail rule leaves `git@` alone); a company's host still goes.
    label: "git-host",
    marks: ["git@"],
    // `git@h`.
    gate: { needs: AT, minLength: 5 },
    source: () => String.raw`(?<![\w.+%-])git@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?![\w-]|\.[\w-])`,
    replace: (match) => `git@${describeHost(match.slice(4))}`,
  },
  {
    // `https://host/org/repo.git`, `ssh://git@host:22/org/repo.git`.
    label: "git-remote",
    marks: [".git"],
    hint: (text) => text.includes("://"),
    // After `ssh://`: a host, a `/` and `.git`.
    gate: { needs: SLASH, minLength: 12 },
    source: () =>
      String.raw`(?<=${caseless("https")}?://|${caseless("ssh")}://|${caseless("git")}(?:\+ssh)?://)(?:[^\s/@]+@)?[A-Za-z0-9.-]+(?::\d+)?/[^\s"'<>?#]*?\.git(?![\w.-])`,
    replace: (match) => {
      const authority = match.slice(0, match.indexOf("/"));
      const at = authority.lastIndexOf("@");
      const [host = "", port] = authority.slice(at + 1).split(":");
      const portPart = port === undefined ? "" : `:${port}`;
      return `${authority.slice(0, at + 1)}${describeHost(host)}${portPart}/[REDACTED:repo].git`;
    },
  },
];
