/**
 * Every environment variable that ci-info looks at, generic and vendor-specific (its
 * vendors.json). When none is set we are not in CI, and ci-info (about 1.5 ms to load) is not
 * loaded at all. A test keeps this list in step with the installed ci-info.
 */
export const CI_ENV_NAMES: readonly string[] = [
  ...["CI", "BUILD_ID", "BUILD_NUMBER", "CI_APP_ID", "CI_BUILD_ID", "CI_BUILD_NUMBER", "CI_NAME"],
  ...["CONTINUOUS_INTEGRATION", "RUN_ID", "AC_APPCIRCLE", "AGOLA_GIT_REF", "ALPIC_HOST"],
  ...["APPCENTER_BUILD_ID", "APPVEYOR", "BITBUCKET_COMMIT", "BITRISE_IO", "BUDDY_WORKSPACE_ID"],
  ...["BUILDER_OUTPUT", "BUILDKITE", "CAPAWESOME_CLOUD", "CF_BUILD_ID", "CF_PAGES", "CIRCLECI"],
  ...["CIRRUS_CI", "CI_XCODE_PROJECT", "CM_BUILD_ID", "CODEBUILD_BUILD_ARN", "DRONE", "DSARI"],
  ...["EARTHLY_CI", "EAS_BUILD", "GERRIT_PROJECT", "GITEA_ACTIONS", "GITHUB_ACTIONS", "GITLAB_CI"],
  ...["GO_PIPELINE_LABEL", "HARNESS_BUILD_ID", "HUDSON_URL", "JENKINS_URL", "LAYERCI", "MAGNUM"],
  ...["NETLIFY", "NEVERCODE", "NODE", "NOW_BUILDER", "PROW_JOB_ID", "RELEASE_BUILD_ID", "RENDER"],
  ...["RWX", "SAILCI", "SCREWDRIVER", "SEMAPHORE", "STRIDER", "TASK_ID", "TEAMCITY_VERSION"],
  ...["TF_BUILD", "TRAVIS", "VELA", "VERCEL", "WORKERS_CI", "XCS", "bamboo_planKey"],
];

/** True when some variable ci-info could read is set, so that asking ci-info is worth it. */
export function mayBeCi(env: Readonly<Record<string, string | undefined>>): boolean {
  return CI_ENV_NAMES.some(
    (name) => env[name] !== undefined && (name !== "NODE" || isHerokuNode(env.NODE)),
  );
}

// npm and npx set NODE to node's path for every script they run; ci-info only reads it to
// recognise Heroku's build image.
function isHerokuNode(value: string | undefined): boolean {
  return value?.includes("/app/.heroku/") === true;
}
