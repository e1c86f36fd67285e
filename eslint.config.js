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
);
