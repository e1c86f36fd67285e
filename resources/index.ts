/**
 * Every Intercom security control: its zod schema, its metadata and its Pulumi resource class.
 * A control is one file, resources/<name>.ts, defining it with `defineControl` (its `catalogOrder`
 * places it in `allControls`); `npm run generate` lists it in ./registry.ts (CI's
 * `npm run check-generated` fails while it is not listed); nothing here changes. Its secure sample
 * goes in test/support/fixtures.ts and the example documents (test/resources/registry.test.ts says
 * which is missing). IdentityVerificationSecret is exported too, but it is an API resource, not a
 * control: never in allControls (the pack grades the MessengerSecurity it feeds).
 */
export * from "./registry";
export { ControlInputError } from "../core/resource";
