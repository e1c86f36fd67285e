/** Each of the pack's policies by name, for packs that pick some (test/package/library.test.ts checks none is missing). */
export * from "../policies/registry";
