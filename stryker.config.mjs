// Mutation testing of the rules and their helpers: `npm run mutate`. Not part of CI, since a full
// run takes long on two cores. A mutant that survives in a SHALL rule is a hole someone can walk
// through: kill it with a test, or say in the README why it is equivalent.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "jest",
  jest: {
    projectType: "custom",
    configFile: "jest.config.js",
    // Only the fast, pure suites: engine and CLI suites start processes and add nothing per mutant.
    config: { roots: ["<rootDir>/test/policies", "<rootDir>/test/core", "<rootDir>/test/properties"] },
    enableFindRelatedTests: true,
  },
  mutate: ["policies/**/*.ts", "core/redaction.ts", "core/evaluate.ts", "core/stack-model.ts", "!policies/index.ts"],
  coverageAnalysis: "perTest",
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
};
