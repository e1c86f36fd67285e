// Lint the TypeScript sources with typescript-eslint's recommended rules; generated output is ignored.
const js = require("@eslint/js");
const tseslint = require("typescript-eslint");

module.exports = tseslint.config(
  {
    ignores: [
      "dist/",
      "node_modules/",
      "coverage/",
      "examples/*/node_modules/",
      "test/fixtures/**/node_modules/",
      "test/.generated/",
      ".stryker-tmp/",
      "reports/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { require: "readonly", module: "writable", __dirname: "readonly", process: "readonly", console: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // CommonJS files (this config, JavaScript fixtures) load modules with require().
  { files: ["**/*.js"], rules: { "@typescript-eslint/no-require-imports": "off" } },
  // One SDK seam: internals of @pulumi/policy and @pulumi/pulumi (any path below the package, imported,
  // required or resolved) are named only in core/sdk/, whose versions.ts states the versions it supports.
  // The packages' top-level entry points are public and may be imported anywhere.
  {
    files: ["**/*.ts", "**/*.js", "**/*.mjs"],
    ignores: [
      "core/sdk/**",
      // Tests and fixtures that play the engine or a hostile program use the internals on purpose.
      "test/support/engine.ts",
      "test/engine/pack-hostile-input.test.ts",
      "test/fixtures/hostile/**",
      "test/fixtures/recording-pack/**",
      "test/fixtures/generated-program/**",
      "test/resources/resources.test.ts",
      "test/intercom/identity-verification-secret-resource.test.ts",
      "test/core/secret-reads.test.ts",
      "test/core/sdk-remediation.test.ts",
      "test/core/policy-analyzer-generated-policies.test.ts",
      "test/lint/sdk-seam.test.ts",
      "test/package/packed-pack.test.ts",
    ],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          // Any string naming a path below either SDK package: import and export sources, require() and require.resolve() arguments.
          // Also a path through node_modules ("../node_modules/@pulumi/policy/server"), which reaches the same files.
          selector: "Literal[value=/(^|node_modules[\\/\\\\])@pulumi.(policy|pulumi)[^\\s-]/]",
          message:
            "Pulumi SDK internals (@pulumi/policy/…, @pulumi/pulumi/…) are used only in core/sdk/, the SDK seam pinned to the versions in core/sdk/versions.ts: import what you need from there.",
        },
        {
          selector: "TemplateElement[value.raw=/(^|node_modules[\\/\\\\])@pulumi.(policy|pulumi)[^\\s-]/]",
          message:
            "Pulumi SDK internals (@pulumi/policy/…, @pulumi/pulumi/…) are used only in core/sdk/, the SDK seam: import what you need from there.",
        },
      ],
    },
  },
);
