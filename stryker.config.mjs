// Mutation testing of the rules and their helpers: `npm run mutate`. Not part of CI, since a full
// run takes long on two cores. A mutant that survives in a SHALL rule is a hole someone can walk
// through: kill it with a test, or say in the README why it is equivalent.
//
// One file or group at a time, with only the suites that test it (each mutant otherwise loads every
// suite; the score can then only be lower than with all of them):
//   MUTATE_TESTS=test/policies/messenger-security/messenger-trusted-domains.test.ts,test/properties/domains.property.test.ts \
//     npx stryker run --mutate policies/support/domains.ts
const onlyTests = (process.env.MUTATE_TESTS ?? "")
  .split(",")
  .map((path) => path.trim())
  .filter(Boolean);
// MUTATE_REPORT names the reports (reports/mutation/<name>.json and .html), so runs of groups keep theirs.
const report = process.env.MUTATE_REPORT ?? "mutation";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "jest",
  jest: {
    projectType: "custom",
    configFile: "jest.config.js",
    config: {
      // Only the fast, pure suites: engine and CLI suites start processes and add nothing per mutant.
      // The source and support folders are roots too, so that jest's --findRelatedTests sees the
      // imports between them: without them it finds only suites importing a mutated file directly
      // (a policy's spec never ran against a mutant in policies/support/).
      roots: ["test/policies", "test/core", "test/properties", "test/support", "policies", "core", "resources"].map(
        (dir) => `<rootDir>/${dir}`,
      ),
      ...(onlyTests.length > 0 ? { testMatch: onlyTests.map((path) => `<rootDir>/${path}`) } : {}),
    },
    enableFindRelatedTests: true,
  },
  mutate: ["policies/**/*.ts", "core/redaction.ts", "core/evaluate.ts", "core/stack-model.ts", "core/floors.ts", "!policies/index.ts"],
  coverageAnalysis: "perTest",
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: `reports/mutation/${report === "mutation" ? "index" : report}.html` },
  jsonReporter: { fileName: `reports/mutation/${report}.json` },
  tempDirName: ".stryker-tmp",
};
